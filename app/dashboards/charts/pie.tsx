import { Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip } from "recharts";
import { formatMeasure } from "../format";
import { PALETTE } from "./pivot";
import type { ChartProps, ChartRenderer } from "./types";

/** Slices: the values of the one dimension, sized by the one measure. */
function PieWidget({ metric, shape, rows, labels, onPoint }: ChartProps) {
  const x = shape.x!;
  const measure = shape.measures[0];
  const data = rows.map((row) => ({ value: Number(row[measure.key]) || 0, raw: row[x.key], name: labels.valueLabel(metric, x, row[x.key]) }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <PieChart>
        <Pie
          data={data}
          dataKey="value"
          nameKey="name"
          innerRadius="45%"
          outerRadius="80%"
          isAnimationActive={false}
          cursor={onPoint ? "pointer" : undefined}
          onClick={(_slice, index) => data[index] && onPoint?.({ [x.key]: data[index].raw })}
        >
          {data.map((slice, i) => (
            <Cell key={String(slice.raw)} fill={PALETTE[i % PALETTE.length]} />
          ))}
        </Pie>
        <Tooltip formatter={(value, name) => [formatMeasure(value as number, measure.unit), name]} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
      </PieChart>
    </ResponsiveContainer>
  );
}

export const pieRenderer: ChartRenderer = { chart: "pie", Component: PieWidget };
