import { Tooltip } from "antd";
import { formatMeasure } from "../format";
import { X_KEY, pivot } from "./pivot";
import type { ChartProps, ChartRenderer } from "./types";

/** Recharts has no heat map: a grid of cells, x values as columns, the other dimension's values as rows, coloured by the measure. */
function Heatmap({ metric, shape, rows, labels, onPoint }: ChartProps) {
  const { data, series } = pivot(shape, rows);
  const measure = shape.measures[0];
  const x = shape.x!;
  const y = shape.series!;
  const values = data.flatMap((column) => series.map((s) => Number(column[s.key]) || 0));
  const max = Math.max(1, ...values);
  return (
    <div style={{ overflow: "auto", height: "100%" }}>
      <table className="dashboard-heatmap" style={{ borderCollapse: "separate", borderSpacing: 2, fontSize: 12 }}>
        <thead>
          <tr>
            <th />
            {data.map((column) => (
              <th key={String(column[X_KEY])} style={{ fontWeight: 400, whiteSpace: "nowrap", padding: "0 4px" }}>
                {labels.valueLabel(metric, x, column[X_KEY])}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {series.map((s) => (
            <tr key={s.key}>
              <th style={{ fontWeight: 400, whiteSpace: "nowrap", textAlign: "right", paddingRight: 8 }}>{labels.valueLabel(metric, y, s.value)}</th>
              {data.map((column) => {
                const value = Number(column[s.key]) || 0;
                const text = formatMeasure(value, measure.unit);
                return (
                  <Tooltip key={String(column[X_KEY])} title={`${labels.valueLabel(metric, x, column[X_KEY])} · ${labels.valueLabel(metric, y, s.value)}: ${text}`}>
                    <td
                      data-value={value}
                      onClick={() => onPoint?.({ [x.key]: column[X_KEY], [y.key]: s.value })}
                      style={{
                        minWidth: 28,
                        height: 28,
                        cursor: onPoint ? "pointer" : undefined,
                        background: `rgba(22, 119, 255, ${0.06 + 0.94 * (value / max)})`,
                        borderRadius: 3,
                      }}
                    />
                  </Tooltip>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const heatmapRenderer: ChartRenderer = { chart: "heatmap", Component: Heatmap };
