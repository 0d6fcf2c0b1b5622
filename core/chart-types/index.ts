/**
 * The dashboard chart types: one module each in ./types/, found there (see ../registry/modules-in.ts).
 * Adding a type is a new module, its renderer in app/dashboards/charts/ and its label
 * (dashboards.charts.<key>) in app/i18n/dashboards.*.json.
 */
import type { MetricModule } from "../metrics/types.ts";
import { modulesIn } from "../registry/modules-in.ts";
import { accepts, type ChartTypeModule } from "./module.ts";

const isChartTypeModule = (value: unknown): value is ChartTypeModule =>
  typeof value === "object" && value !== null && typeof (value as ChartTypeModule).key === "string" &&
  typeof (value as ChartTypeModule).shape === "function";

/** In the builder's order. */
export const CHART_TYPES: readonly ChartTypeModule[] = await modulesIn(
  () => import.meta.glob(["./types/*.ts", "!./types/*.test.ts"], { eager: true }),
  new URL("./types/", import.meta.url),
  isChartTypeModule,
);

const BY_KEY = new Map(CHART_TYPES.map((c) => [c.key, c]));
export const chartType = (key: string): ChartTypeModule | undefined => BY_KEY.get(key);

/** The chart types that can show `metric`, in the builder's order. */
export const chartTypesFor = (metric: MetricModule) => CHART_TYPES.filter((c) => accepts(c, metric));

export { accepts, type ChartRefusal, type ChartShape, type ChartTypeModule, type ShapeResult, type WidgetChoices } from "./module.ts";
