import { describe, expect, it } from "vitest";
import { CHART_TYPES } from "../../core/chart-types/index.ts";
import type { ChartRefusal } from "../../core/chart-types/index.ts";
import { DEFAULT_RANGES } from "../../core/dashboards/types.ts";
import { GRAINS } from "../../core/metrics/grains.ts";
import en from "../i18n/dashboards.en.json";
import zhCN from "../i18n/dashboards.zh-CN.json";
import { CHART_RENDERERS } from "./charts";

const REFUSALS: ChartRefusal[] = [
  "unknown_dimension", "unknown_measure", "needs_period", "needs_one_dimension", "needs_two_dimensions", "too_many_dimensions", "one_measure", "nothing_to_stack", "not_additive",
];

describe("chart types in the app", () => {
  it("every chart type has a renderer, and every renderer a chart type", () => {
    expect([...CHART_RENDERERS.keys()].sort()).toEqual(CHART_TYPES.map((c) => c.key).sort());
  });

  for (const [language, file] of Object.entries({ "zh-CN": zhCN, en })) {
    it(`every chart type, refusal, range and grain has a label in ${language}`, () => {
      const d = file.dashboards as unknown as Record<string, Record<string, string>>;
      const missing = [
        ...CHART_TYPES.map((c) => ["charts", c.key]),
        ...REFUSALS.map((r) => ["refusals", r]),
        ...DEFAULT_RANGES.map((r) => ["ranges", r]),
        ...GRAINS.map((g) => ["grains", g]),
      ].filter(([group, key]) => typeof d[group]?.[key] !== "string");
      expect(missing).toEqual([]);
    });
  }
});

describe("the seeded dashboards", async () => {
  const fs = await import("node:fs");
  const path = await import("node:path");
  const { metricByKey } = await import("./metric-registry");
  const { chartType } = await import("../../core/chart-types/index.ts");
  const folder = path.join(process.cwd(), "schemas", "dashboards");
  for (const file of fs.readdirSync(folder).filter((f) => f.endsWith(".json"))) {
    it(`${file}: every widget names a known metric and a chart type that fits it, within the grid`, () => {
      const { definition } = JSON.parse(fs.readFileSync(path.join(folder, file), "utf8")) as { definition: import("../../core/dashboards/types.ts").DashboardDefinition };
      const problems = definition.widgets.flatMap((w) => {
        const metric = metricByKey(w.metric);
        const chart = chartType(w.chart);
        if (!metric || !chart) return [`${w.id}: unknown ${metric ? "chart" : "metric"}`];
        const shape = chart.shape(metric, w);
        if (!shape.ok) return [`${w.id}: ${shape.refusal}`];
        return w.layout.x + w.layout.w > 12 ? [`${w.id}: outside the grid`] : [];
      });
      expect(problems).toEqual([]);
    });
  }
});

describe("dashboard translations", () => {
  const keys = (tree: unknown, prefix = ""): string[] =>
    tree && typeof tree === "object" ? Object.entries(tree).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k)) : [prefix];
  it("Chinese and English have the same keys", () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });
});
