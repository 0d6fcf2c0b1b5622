import { Statistic } from "antd";
import { formatMeasure } from "../format";
import { kpiTotals } from "../kpi-total";
import type { ChartProps, ChartRenderer } from "./types";

/** Headline numbers: each chosen measure over the whole range (see kpi-total.ts). */
function KpiChart({ metric, shape, rows, labels }: ChartProps) {
  const totals = kpiTotals(metric, rows);
  return (
    <div style={{ display: "flex", gap: 32, flexWrap: "wrap", alignItems: "center", height: "100%" }}>
      {shape.measures.map((measure) => (
        <Statistic
          key={measure.key}
          title={labels.measureLabel(metric, measure)}
          value={formatMeasure(totals[measure.key], measure.unit)}
          valueStyle={{ whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" }}
        />
      ))}
    </div>
  );
}

export const kpiRenderer: ChartRenderer = { chart: "kpi", Component: KpiChart };
