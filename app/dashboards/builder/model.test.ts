import { describe, expect, it } from "vitest";
import type { MetricModule } from "../../../core/metrics/types.ts";
import { addWidget, applyLayout, changeChart, defaultChart, emptyDefinition, removeWidget, updateWidget } from "./model";

const flow: MetricModule = {
  key: "points_flow", position: 1, rpc: "metric_points_flow", filters: ["period", "business_unit"],
  dimensions: [{ key: "period", type: "period" }, { key: "business_unit", type: "business_unit" }],
  measures: [{ key: "issued", unit: "points", total: "sum" }, { key: "redeemed", unit: "points", total: "sum" }],
};
const tiers: MetricModule = { key: "tier_distribution", position: 2, rpc: "metric_tiers", filters: [], dimensions: [{ key: "tier", type: "tier" }], measures: [{ key: "members", unit: "count", total: "sum" }] };

describe("dashboard builder model", () => {
  it("a new widget gets a chart its metric fits, a unique id and a place below the others within 12 columns", () => {
    expect(defaultChart(flow)).toBe("line");
    expect(defaultChart(tiers)).toBe("bar");
    let def = addWidget(emptyDefinition(), flow);
    def = addWidget(def, tiers, { x: 10, y: 0 });
    expect(def.widgets.map((w) => [w.id, w.chart, w.layout])).toEqual([
      ["w1", "line", { x: 0, y: 0, w: 6, h: 6 }],
      ["w2", "bar", { x: 6, y: 0, w: 6, h: 6 }],
    ]);
    def = removeWidget(def, "w1");
    def = addWidget(def, flow);
    expect(def.widgets.map((w) => w.id)).toEqual(["w2", "w3"]);
    expect(def.widgets[1].layout.y).toBe(6);
  });

  it("moves and resizes from the grid; an unchanged layout keeps the same definition", () => {
    const def = addWidget(emptyDefinition(), flow);
    const moved = applyLayout(def, [{ i: "w1", x: 2, y: 3, w: 8, h: 4 }]);
    expect(moved.widgets[0].layout).toEqual({ x: 2, y: 3, w: 8, h: 4 });
    expect(applyLayout(moved, [{ i: "w1", x: 2, y: 3, w: 8, h: 4 }])).toBe(moved);
  });

  it("a new chart type forgets the old choices; an empty title is left out", () => {
    let def = addWidget(emptyDefinition(), flow);
    def = updateWidget(def, "w1", { measures: ["issued"], title: { "zh-CN": "", en: "" } });
    expect(def.widgets[0]).not.toHaveProperty("title");
    def = changeChart(def, "w1", "table");
    expect(def.widgets[0]).toEqual({ id: "w1", metric: "points_flow", chart: "table", layout: { x: 0, y: 0, w: 6, h: 6 } });
  });
});

describe("saving", () => {
  it("a title in one language serves both", async () => {
    const { normalized } = await import("./model");
    const def = updateWidget(addWidget({ ...emptyDefinition(), title: { "zh-CN": " 我的看板 ", en: "" } }, flow), "w1", { title: { "zh-CN": "", en: "Flow" } });
    const saved = normalized(def);
    expect(saved.title).toEqual({ "zh-CN": "我的看板", en: "我的看板" });
    expect(saved.widgets[0].title).toEqual({ "zh-CN": "Flow", en: "Flow" });
  });
});

describe("a new widget's measures", () => {
  it("a ratio when the metric has one; else those in the first measure's unit; a chart change keeps what it can show", async () => {
    const { defaultMeasures } = await import("./model");
    const rate: MetricModule = { ...flow, key: "redemption_rate", dimensions: [{ key: "period", type: "period" }], measures: [{ key: "issued", unit: "points", total: "sum" }, { key: "redeemed", unit: "points", total: "sum" }, { key: "rate", unit: "ratio", total: { numerator: "redeemed", denominator: "issued" } }] };
    const aov: MetricModule = { ...flow, key: "average_order_value", measures: [{ key: "orders", unit: "count", total: "sum" }, { key: "sales_yuan", unit: "yuan", total: "sum" }] };
    expect(defaultMeasures(rate)).toEqual(["rate"]);
    expect(defaultMeasures(aov)).toEqual(["orders"]);
    expect(defaultMeasures(flow)).toBeUndefined();
    let def = addWidget(emptyDefinition(), rate);
    expect(def.widgets[0]).toMatchObject({ chart: "line", measures: ["rate"] });
    def = changeChart(def, "w1", "bar", rate);
    expect(def.widgets[0]).toMatchObject({ chart: "bar", measures: ["rate"] });
  });
});
