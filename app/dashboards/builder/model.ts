/** The dashboard builder's edits as pure functions over a DashboardDefinition. */
import { CHART_TYPES, chartType } from "../../../core/chart-types/index.ts";
import type { DashboardDefinition, DashboardWidget, WidgetLayout } from "../../../core/dashboards/types.ts";
import type { MetricModule } from "../../../core/metrics/types.ts";

export const GRID_COLUMNS = 12;
/** As the database allows (private.assert_dashboard_definition). */
export const MAX_WIDGETS = 24;

const PREFERRED = ["line", "bar", "pie", "table"];

/** The chart a new widget of `metric` starts as: a line for a trend, a bar otherwise, else whatever fits. */
export function defaultChart(metric: MetricModule): string {
  const measures = defaultMeasures(metric);
  const fitting = CHART_TYPES.filter((c) => c.shape(metric, { measures }).ok).map((c) => c.key);
  return PREFERRED.find((key) => fitting.includes(key)) ?? fitting[0] ?? "table";
}

/** The first free row below every widget. */
export const bottomRow = (widgets: readonly DashboardWidget[]) => widgets.reduce((max, w) => Math.max(max, w.layout.y + w.layout.h), 0);

const nextId = (widgets: readonly DashboardWidget[]) => {
  let n = widgets.length + 1;
  while (widgets.some((w) => w.id === `w${n}`)) n += 1;
  return `w${n}`;
};

/**
 * The measures a new widget shows: a metric's ratio (its headline, e.g. the redemption rate) when it has
 * one, else those in the unit of its first measure, so one axis fits them all. Undefined means all.
 */
export function defaultMeasures(metric: MetricModule): string[] | undefined {
  const ratios = metric.measures.filter((m) => m.unit === "ratio");
  const chosen = ratios.length ? ratios : metric.measures.filter((m) => m.unit === metric.measures[0]?.unit);
  return chosen.length === metric.measures.length ? undefined : chosen.map((m) => m.key);
}

/** Adds a widget of `metric` at `at` (default: below the others), sized for its chart type and kept within the grid. */
export function addWidget(definition: DashboardDefinition, metric: MetricModule, at?: Partial<WidgetLayout>): DashboardDefinition {
  const chart = defaultChart(metric);
  const size = chartType(chart)?.size ?? { w: 6, h: 6 };
  const w = Math.min(at?.w && at.w > 1 ? at.w : size.w, GRID_COLUMNS);
  const x = Math.max(0, Math.min(at?.x ?? 0, GRID_COLUMNS - w));
  const layout = { x, y: Math.max(0, at?.y ?? bottomRow(definition.widgets)), w, h: at?.h && at.h > 1 ? at.h : size.h };
  const measures = defaultMeasures(metric);
  const widget: DashboardWidget = { id: nextId(definition.widgets), metric: metric.key, chart, layout, ...(measures ? { measures } : {}) };
  return { ...definition, widgets: [...definition.widgets, widget] };
}

export function updateWidget(definition: DashboardDefinition, id: string, patch: Partial<DashboardWidget>): DashboardDefinition {
  return { ...definition, widgets: definition.widgets.map((w) => (w.id === id ? dropEmpty({ ...w, ...patch }) : w)) };
}

/** A new chart type keeps the widget's measures when it can show them and drops its other choices (x, series). */
export function changeChart(definition: DashboardDefinition, id: string, chart: string, metric?: MetricModule): DashboardDefinition {
  const type = chartType(chart);
  return {
    ...definition,
    widgets: definition.widgets.map((w) => {
      if (w.id !== id) return w;
      const keep = metric && type && w.measures && type.shape(metric, { measures: w.measures }).ok ? { measures: w.measures } : {};
      return dropEmpty({ id: w.id, metric: w.metric, chart, title: w.title, layout: w.layout, ...keep });
    }),
  };
}

export const removeWidget = (definition: DashboardDefinition, id: string): DashboardDefinition => ({
  ...definition,
  widgets: definition.widgets.filter((w) => w.id !== id),
});

/** Positions and sizes from the grid (react-grid-layout's layout items, keyed by widget id). */
export function applyLayout(definition: DashboardDefinition, items: readonly ({ i: string } & WidgetLayout)[]): DashboardDefinition {
  const byId = new Map(items.map((item) => [item.i, item]));
  let changed = false;
  const widgets = definition.widgets.map((w) => {
    const item = byId.get(w.id);
    if (!item) return w;
    const layout = { x: item.x, y: item.y, w: item.w, h: item.h };
    if (layout.x === w.layout.x && layout.y === w.layout.y && layout.w === w.layout.w && layout.h === w.layout.h) return w;
    changed = true;
    return { ...w, layout };
  });
  return changed ? { ...definition, widgets } : definition;
}

function dropEmpty(widget: DashboardWidget): DashboardWidget {
  const copy = { ...widget };
  if (!copy.title || (!copy.title["zh-CN"].trim() && !copy.title.en.trim())) delete copy.title;
  for (const key of ["x", "series", "measures"] as const) if (copy[key] === undefined) delete copy[key];
  return copy;
}

export const emptyDefinition = (): DashboardDefinition => ({
  title: { "zh-CN": "", en: "" },
  defaults: { range: "last_30_days", grain: "day" },
  widgets: [],
});

const fill = (text: { "zh-CN": string; en: string }) => {
  const zh = text["zh-CN"].trim();
  const en = text.en.trim();
  return { "zh-CN": zh || en, en: en || zh };
};

/** What is saved: texts trimmed, a title given in one language only used for both. */
export function normalized(definition: DashboardDefinition): DashboardDefinition {
  return {
    ...definition,
    title: fill(definition.title),
    widgets: definition.widgets.map((w) => (w.title ? dropEmpty({ ...w, title: fill(w.title) }) : w)),
  };
}
