import { numberWidget } from "./number-widget";

/** Whole points (schema: integer). */
export const PointsWidget = numberWidget({ precision: 0, normalize: Math.trunc });
