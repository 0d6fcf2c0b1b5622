/** Time buckets a dashboard's period filter groups by. */
export const GRAINS = ["day", "week", "month"] as const;
export type Grain = (typeof GRAINS)[number];
export const isGrain = (value: unknown): value is Grain => typeof value === "string" && (GRAINS as readonly string[]).includes(value);
