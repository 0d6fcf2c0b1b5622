import { describe, expect, it } from "vitest";
import { METRIC_MODULES } from "./index.ts";

describe("metric measures' totals", () => {
  it("a ratio or average names two counted or summed measures of its own metric", () => {
    const ratios = METRIC_MODULES.flatMap((metric) => metric.measures.flatMap((measure) =>
      typeof measure.total === "object" ? [{ metric, measure, parts: [measure.total.numerator, measure.total.denominator] }] : []));
    expect(ratios.map(({ metric, measure }) => `${metric.key}.${measure.key}`).sort())
      .toEqual(["average_order_value.aov_yuan", "redemption_rate.rate", "repurchase_rate.rate"]);
    for (const { metric, parts } of ratios) {
      for (const part of parts) expect(["sum", "distinct"], `${metric.key}.${part}`).toContain(metric.measures.find((m) => m.key === part)?.total);
    }
  });

  it("a ratio unit is always computed from parts, never summed", () => {
    for (const metric of METRIC_MODULES) {
      for (const measure of metric.measures.filter((m) => m.unit === "ratio")) expect(typeof measure.total, `${metric.key}.${measure.key}`).toBe("object");
    }
  });
});
