/** The renderer of each chart type (core/chart-types), one module per type in this folder. */
import type { ChartRenderer } from "./types";

const isRenderer = (value: unknown): value is ChartRenderer =>
  typeof value === "object" && value !== null && typeof (value as ChartRenderer).chart === "string" && "Component" in (value as object);

const modules = import.meta.glob<Record<string, unknown>>(["./*.tsx", "!./cartesian.tsx"], { eager: true });

export const CHART_RENDERERS: ReadonlyMap<string, ChartRenderer> = new Map(
  Object.values(modules).flatMap((exports) => Object.values(exports).filter(isRenderer)).map((r) => [r.chart, r]),
);

export type { ChartProps, ChartRenderer } from "./types";
