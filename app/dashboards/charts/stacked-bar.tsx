import { CartesianChart } from "./cartesian";
import type { ChartProps, ChartRenderer } from "./types";

export const stackedBarRenderer: ChartRenderer = {
  chart: "stacked_bar",
  Component: (props: ChartProps) => <CartesianChart kind="stacked_bar" {...props} />,
};
