/** The metrics a dashboard can show (core/metrics: one module per metric, its SQL function and shape), looked up by key. */
import { METRIC_MODULES } from "../../core/metrics/index.ts";
import type { MetricModule } from "../../core/metrics/types.ts";

export const METRICS: readonly MetricModule[] = METRIC_MODULES;

const BY_KEY = new Map(METRICS.map((m) => [m.key, m]));
export const metricByKey = (key: string): MetricModule | undefined => BY_KEY.get(key);
