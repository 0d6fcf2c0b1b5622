import { CartesianChart } from "./cartesian";
import type { ChartProps, ChartRenderer } from "./types";

export const barRenderer: ChartRenderer = {
  chart: "bar",
  Component: (props: ChartProps) => <CartesianChart kind="bar" {...props} />,
};
