import { CartesianChart } from "./cartesian";
import type { ChartProps, ChartRenderer } from "./types";

export const areaRenderer: ChartRenderer = {
  chart: "area",
  Component: (props: ChartProps) => <CartesianChart kind="area" {...props} />,
};
