import type { ComponentType } from "react";
import type { ChartShape } from "../../../core/chart-types/index.ts";
import type { MetricModule } from "../../../core/metrics/types.ts";
import type { MetricRow } from "../../data/dashboards/types";
import type { MetricLabels } from "../use-labels";

export interface ChartProps {
  metric: MetricModule;
  shape: ChartShape;
  rows: MetricRow[];
  labels: MetricLabels;
  /** A click on a bar, point, slice, cell or row: the dimension values of what was clicked. */
  onPoint?: (point: Record<string, unknown>) => void;
}

/** The React side of a chart type (core/chart-types): one per type key, in this folder. */
export interface ChartRenderer {
  chart: string;
  Component: ComponentType<ChartProps>;
}
