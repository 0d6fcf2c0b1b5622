import { chosenMeasures, fits, refuse, type ChartTypeModule } from "../module.ts";

/** Shares of a whole: one non-period dimension as slices, one measure as their size. */
export const pieChart: ChartTypeModule = {
  key: "pie",
  position: 60,
  size: { w: 4, h: 6 },
  shape(metric, choices) {
    if (metric.dimensions.length !== 1) return refuse("needs_one_dimension");
    const [x] = metric.dimensions;
    if (x.type === "period") return refuse("needs_one_dimension");
    if (choices.x && choices.x !== x.key) return refuse("unknown_dimension");
    if (choices.measures && choices.measures.length > 1) return refuse("one_measure");
    const measures = chosenMeasures(metric, choices);
    if (!measures) return refuse("unknown_measure");
    return fits({ x, measures: measures.slice(0, 1) });
  },
};
