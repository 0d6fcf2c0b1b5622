import { chosenMeasures, fits, refuse, type ChartTypeModule } from "../module.ts";

/** Every row as the metric returns it: one column per dimension and per chosen measure. */
export const tableChart: ChartTypeModule = {
  key: "table",
  position: 80,
  size: { w: 6, h: 6 },
  shape(metric, choices) {
    const measures = chosenMeasures(metric, choices);
    if (!measures) return refuse("unknown_measure");
    return fits({ measures });
  },
};
