/**
 * The metrics a dashboard can show (core/metrics: one module per metric, its SQL function and shape),
 * looked up by key.
 */
import type { MetricModule } from "../../core/metrics/types.ts";
import { modulesIn } from "../../core/registry/modules-in.ts";

const isMetricModule = (value: unknown): value is MetricModule =>
  typeof value === "object" && value !== null && typeof (value as MetricModule).key === "string" &&
  typeof (value as MetricModule).rpc === "string" && Array.isArray((value as MetricModule).measures);

export const METRICS: readonly MetricModule[] = await modulesIn(
  () => import.meta.glob(["../../core/metrics/metrics/*.ts", "!../../core/metrics/metrics/*.test.ts"], { eager: true }),
  new URL("../../core/metrics/metrics/", import.meta.url),
  isMetricModule,
);

const BY_KEY = new Map(METRICS.map((m) => [m.key, m]));
export const metricByKey = (key: string): MetricModule | undefined => BY_KEY.get(key);
