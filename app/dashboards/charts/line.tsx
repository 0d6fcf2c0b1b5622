import { CartesianChart } from "./cartesian";
import type { ChartProps, ChartRenderer } from "./types";

export const lineRenderer: ChartRenderer = {
  chart: "line",
  Component: (props: ChartProps) => <CartesianChart kind="line" {...props} />,
};
