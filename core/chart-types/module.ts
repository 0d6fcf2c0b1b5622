/**
 * A dashboard chart type (DESIGN 5a "dashboard widget types"): which metric shapes it can show and how a
 * widget's choices (x, series, measures) resolve against a metric. Rendering lives in the app
 * (app/dashboards/charts/, one renderer per type key); labels in i18n under `dashboards.charts.<key>`.
 */
import type { DashboardWidget } from "../dashboards/types.ts";
import type { MetricDimension, MetricMeasure, MetricModule } from "../metrics/types.ts";

/** What a widget shows of its metric: the dimension along x (or the slices), the one splitting series, the measures. */
export interface ChartShape {
  x?: MetricDimension;
  series?: MetricDimension;
  measures: MetricMeasure[];
}

/** Why a metric (or a widget's choices) does not fit a chart type: a key under `dashboards.refusals`. */
export type ChartRefusal =
  | "unknown_dimension"
  | "unknown_measure"
  | "needs_period"
  | "needs_one_dimension"
  | "needs_two_dimensions"
  | "too_many_dimensions"
  | "one_measure"
  | "nothing_to_stack"
  | "not_additive";

export type ShapeResult = { ok: true; shape: ChartShape } | { ok: false; refusal: ChartRefusal };

export type WidgetChoices = Pick<DashboardWidget, "x" | "series" | "measures">;

export interface ChartTypeModule {
  /** Stable key named by dashboard definitions (DashboardWidget.chart). */
  key: string;
  /** Order in the builder's chart picker. */
  position: number;
  /** Default size on the 12-column grid when the builder drops a widget of this type. */
  size: { w: number; h: number };
  /** Resolves the widget's choices against the metric, or says why it does not fit. */
  shape(metric: MetricModule, choices: WidgetChoices): ShapeResult;
}

/** True when the chart type can show the metric with its default choices. */
export const accepts = (chart: ChartTypeModule, metric: MetricModule) => chart.shape(metric, {}).ok;

export const refuse = (refusal: ChartRefusal): ShapeResult => ({ ok: false, refusal });
export const fits = (shape: ChartShape): ShapeResult => ({ ok: true, shape });

/** The measures a widget chose (all the metric's when it chose none), or null when one is unknown. */
export function chosenMeasures(metric: MetricModule, choices: WidgetChoices): MetricMeasure[] | null {
  if (!choices.measures?.length) return [...metric.measures];
  const found = choices.measures.map((key) => metric.measures.find((m) => m.key === key));
  return found.every((m): m is MetricMeasure => !!m) ? found : null;
}

/** The metric's dimension named `key`, or null when it has none of that name. */
export const dimension = (metric: MetricModule, key: string) => metric.dimensions.find((d) => d.key === key) ?? null;

/** Measures summed over rows add up across a dimension; distinct counts, ratios and averages do not. */
export const isAdditive = (measure: MetricMeasure) => measure.total === "sum";

/** Measures with a total over several rows: all but counts of distinct members (see MetricMeasure.total). */
export const hasTotal = (measure: MetricMeasure) => measure.total !== "distinct";

/**
 * x and series for charts of one or two dimensions: x is the chosen one, else the period, else the first.
 * The other dimension splits the series (then the chart shows one measure), unless the widget shows several
 * measures that add up (points, counts): then they are summed over it, one series per measure.
 */
export function axes(metric: MetricModule, choices: WidgetChoices): ShapeResult {
  const dims = metric.dimensions;
  if (dims.length === 0) return refuse("needs_one_dimension");
  if (dims.length > 2) return refuse("too_many_dimensions");
  const x = choices.x ? dimension(metric, choices.x) : (dims.find((d) => d.type === "period") ?? dims[0]);
  if (!x) return refuse("unknown_dimension");
  const rest = dims.filter((d) => d.key !== x.key);
  const measures = chosenMeasures(metric, choices);
  if (!measures) return refuse("unknown_measure");
  if (choices.series) {
    const series = dimension(metric, choices.series);
    if (!series || series.key === x.key) return refuse("unknown_dimension");
    if (choices.measures && choices.measures.length > 1) return refuse("one_measure");
    return fits({ x, series, measures: measures.slice(0, 1) });
  }
  if (rest.length && !(measures.length > 1 && measures.every(isAdditive))) {
    if (choices.measures && choices.measures.length > 1) return refuse("one_measure");
    return fits({ x, series: rest[0], measures: measures.slice(0, 1) });
  }
  return fits({ x, measures });
}
