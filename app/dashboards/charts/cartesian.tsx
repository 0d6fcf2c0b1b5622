import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatAxis, formatMeasure } from "../format";
import { PALETTE, X_KEY, pivot } from "./pivot";
import type { ChartProps } from "./types";

type Kind = "line" | "area" | "bar" | "stacked_bar";

/** The axis top: the data's maximum rounded up to 1, 2, 2.5 or 5 times a power of ten; 1 when there is nothing above 0. */
export function niceCeiling(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 2.5, 5, 10].find((f) => f * power >= max) ?? 10;
  return step * power;
}

/** Line, area, bar and stacked bar charts: x along the bottom, one series per measure or per value of the series dimension. */
export function CartesianChart({ kind, metric, shape, rows, labels, onPoint }: ChartProps & { kind: Kind }) {
  const { data, series } = pivot(shape, rows);
  const x = shape.x!;
  const unitOf = (key: string) => (shape.series ? shape.measures[0].unit : (shape.measures.find((m) => m.key === key)?.unit ?? "count"));
  const nameOf = (key: string, value: unknown) => {
    if (shape.series) return labels.valueLabel(metric, shape.series, value);
    const measure = shape.measures.find((m) => m.key === key);
    return measure ? labels.measureLabel(metric, measure) : key;
  };
  const pointOf = (index: number, seriesValue?: unknown) => {
    const row = data[index];
    if (!row) return null;
    const point: Record<string, unknown> = { [x.key]: row[X_KEY] };
    if (shape.series && seriesValue !== undefined) point[shape.series.key] = seriesValue;
    return point;
  };
  const firstUnit = unitOf(series[0]?.key ?? "");
  const common = {
    data,
    margin: { top: 8, right: 16, bottom: 0, left: 8 },
    onClick:
      kind === "line" || kind === "area"
        ? (state: { activeIndex?: unknown }) => {
            const point = typeof state?.activeIndex === "number" || typeof state?.activeIndex === "string" ? pointOf(Number(state.activeIndex)) : null;
            if (point) onPoint?.(point);
          }
        : undefined,
  };
  const axes = [
    <CartesianGrid key="grid" strokeDasharray="3 3" vertical={false} />,
    <XAxis key="x" dataKey={X_KEY} tickFormatter={(value) => labels.valueLabel(metric, x, value)} tick={{ fontSize: 12 }} minTickGap={8} />,
    <YAxis
      key="y"
      tickFormatter={(value) => formatAxis(value, firstUnit)}
      tick={{ fontSize: 12 }}
      width={64}
      // All-zero data would stretch to arbitrary ticks (0 to 400%); counts and ratios start at 0 and reach at least 1 (100%).
      domain={[0, (dataMax: number) => niceCeiling(dataMax)]}
      allowDecimals={firstUnit === "ratio" || firstUnit === "yuan"}
    />,
    <Tooltip
      key="tooltip"
      labelFormatter={(value) => labels.valueLabel(metric, x, value)}
      formatter={(value, name, item) => [formatMeasure(value as number, unitOf(String(item.dataKey))), name]}
    />,
    <Legend key="legend" wrapperStyle={{ fontSize: 12 }} />,
  ];
  const height = "100%";
  if (kind === "line") {
    return (
      <ResponsiveContainer width="100%" height={height}>
        <LineChart {...common} style={{ cursor: onPoint ? "pointer" : undefined }}>
          {axes}
          {series.map((s, i) => (
            <Line key={s.key} type="monotone" dataKey={s.key} name={nameOf(s.key, s.value)} stroke={PALETTE[i % PALETTE.length]} dot={data.length < 40} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    );
  }
  if (kind === "area") {
    return (
      <ResponsiveContainer width="100%" height={height}>
        <AreaChart {...common} style={{ cursor: onPoint ? "pointer" : undefined }}>
          {axes}
          {series.map((s, i) => (
            <Area key={s.key} type="monotone" dataKey={s.key} name={nameOf(s.key, s.value)} stroke={PALETTE[i % PALETTE.length]} fill={PALETTE[i % PALETTE.length]} fillOpacity={0.2} isAnimationActive={false} />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    );
  }
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart {...common}>
        {axes}
        {series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={nameOf(s.key, s.value)}
            fill={PALETTE[i % PALETTE.length]}
            stackId={kind === "stacked_bar" ? "stack" : undefined}
            isAnimationActive={false}
            cursor={onPoint ? "pointer" : undefined}
            onClick={(_bar, index) => {
              const point = pointOf(index, shape.series ? s.value : undefined);
              if (point) onPoint?.(point);
            }}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
