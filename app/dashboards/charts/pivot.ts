import type { ChartShape } from "../../../core/chart-types/index.ts";
import type { MetricRow } from "../../data/dashboards/types";

export const X_KEY = "__x";

export interface Pivot {
  /** One object per x value, in the order the rows came: { __x, <series key>: value }. */
  data: Record<string, unknown>[];
  /** The series drawn: measure keys without a series dimension, the series dimension's values with one. */
  series: { key: string; value: unknown }[];
}

const valueKey = (value: unknown) => `s:${String(value ?? "")}`;

/** Metric rows as chart data: x values as rows, measures (or the series dimension's values) as columns. */
export function pivot(shape: ChartShape, rows: MetricRow[]): Pivot {
  const x = shape.x!.key;
  const byX = new Map<string, Record<string, unknown>>();
  const seriesValues = new Map<string, unknown>();
  for (const row of rows) {
    const xValue = row[x];
    const id = String(xValue ?? "");
    let entry = byX.get(id);
    if (!entry) {
      entry = { [X_KEY]: xValue };
      byX.set(id, entry);
    }
    if (shape.series) {
      const seriesValue = row[shape.series.key];
      const key = valueKey(seriesValue);
      seriesValues.set(key, seriesValue);
      entry[key] = (Number(entry[key]) || 0) + (Number(row[shape.measures[0].key]) || 0);
    } else {
      for (const m of shape.measures) entry[m.key] = (Number(entry[m.key]) || 0) + (Number(row[m.key]) || 0);
    }
  }
  const data = [...byX.values()];
  if (shape.x!.type === "period") data.sort((a, b) => String(a[X_KEY]).localeCompare(String(b[X_KEY])));
  const series = shape.series
    ? [...seriesValues.entries()].map(([key, value]) => ({ key, value }))
    : shape.measures.map((m) => ({ key: m.key, value: m.key }));
  return { data, series };
}

export const PALETTE = ["#1677ff", "#52c41a", "#faad14", "#eb2f96", "#13c2c2", "#722ed1", "#fa541c", "#2f54eb", "#a0d911", "#8c8c8c"];
