/**
 * A dashboard definition: the JSON stored as a versioned definition (kind 'dashboard') and seeded from
 * schemas/dashboards/*.json. Widgets name a metric (core/metrics) and a chart type (the widget type
 * registry); the layout is a 12-column grid.
 */
import type { Grain } from "../metrics/grains.ts";

export interface LocalizedText {
  "zh-CN": string;
  en: string;
}

export interface WidgetLayout {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface DashboardWidget {
  /** Unique within its dashboard. */
  id: string;
  /** MetricModule.key */
  metric: string;
  /** Chart type key: kpi, line, area, bar, stacked_bar, pie, heatmap, table. */
  chart: string;
  /** Defaults to the metric's title. */
  title?: LocalizedText;
  /** Subset of the metric's measures; defaults to all. */
  measures?: string[];
  /** Dimension on the x axis (or the pie's slices); defaults to the metric's first dimension. */
  x?: string;
  /** Dimension that splits the series, if any. */
  series?: string;
  layout: WidgetLayout;
}

/** Relative ranges a dashboard opens with; the user then picks any range. */
export const DEFAULT_RANGES = ["last_7_days", "last_30_days", "last_90_days", "this_month", "this_year", "last_365_days"] as const;
export type DefaultRange = (typeof DEFAULT_RANGES)[number];

export interface DashboardDefinition {
  title: LocalizedText;
  description?: LocalizedText;
  defaults: { range: DefaultRange; grain: Grain };
  widgets: DashboardWidget[];
}
