/**
 * The dashboard metrics: one module each in ./metrics/, found there (see ../registry/modules-in.ts). Adding a
 * metric is a module, its SQL function (calling convention in ./types.ts) and its translations
 * (metrics.<key> in app/i18n/metrics.*.json).
 */
import { modulesIn } from "../registry/modules-in.ts";
import type { MetricModule } from "./types.ts";

const isMetricModule = (value: unknown): value is MetricModule =>
  typeof value === "object" && value !== null && typeof (value as MetricModule).key === "string" &&
  typeof (value as MetricModule).rpc === "string" && Array.isArray((value as MetricModule).measures);

/** In the order of the dashboard builder's palette. */
export const METRIC_MODULES: readonly MetricModule[] = await modulesIn(
  () => import.meta.glob(["./metrics/*.ts", "!./metrics/*.test.ts"], { eager: true }),
  new URL("./metrics/", import.meta.url),
  isMetricModule,
);

const BY_KEY = new Map<string, MetricModule>(METRIC_MODULES.map((m) => [m.key, m]));
export const isMetricKey = (value: unknown): value is string => typeof value === "string" && BY_KEY.has(value);
export function metric(key: string): MetricModule {
  const found = BY_KEY.get(key);
  if (!found) throw new Error(`unknown metric "${key}"`);
  return found;
}

/** i18n keys of a metric: its title, each measure, and each value of its `label` dimensions. */
export const metricTitleLabel = (key: string) => `metrics.${key}.title`;
export const metricMeasureLabel = (key: string, measure: string) => `metrics.${key}.measures.${measure}`;
export const metricValueLabel = (key: string, value: string) => `metrics.${key}.values.${value}`;

export { EXPIRY_HORIZONS } from "./metrics/points_expiring.ts";
export { TIER_DIRECTIONS } from "./metrics/tier_movements.ts";
export { BUSINESS_TIME_ZONE } from "../time/business-zone.ts";
export * from "./limits.ts";
export type { MetricModule, MetricParams, MetricDimension, MetricMeasure, DashboardFilter, MeasureUnit, DimensionType } from "./types.ts";
export { GRAINS, isGrain, type Grain } from "./grains.ts";
