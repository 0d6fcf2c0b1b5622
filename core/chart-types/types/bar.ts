import { axes, type ChartTypeModule } from "../module.ts";

/** Bars side by side: any dimension along x, one bar per measure (or per value of the other dimension). */
export const barChart: ChartTypeModule = {
  key: "bar",
  position: 40,
  size: { w: 6, h: 6 },
  shape: axes,
};
