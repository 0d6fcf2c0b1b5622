import { Table } from "antd";
import { formatMeasure } from "../format";
import type { ChartProps, ChartRenderer } from "./types";

/** The metric's rows: one column per dimension (labelled values) and per chosen measure. */
function MetricTable({ metric, shape, rows, labels, onPoint }: ChartProps) {
  const columns = [
    ...metric.dimensions.map((d) => ({
      key: d.key,
      title: labels.dimensionLabel(metric, d),
      render: (_: unknown, row: Record<string, unknown>) => labels.valueLabel(metric, d, row[d.key]),
      onCell: () => ({ style: { whiteSpace: "nowrap" as const } }),
    })),
    ...shape.measures.map((m) => ({
      key: m.key,
      title: labels.measureLabel(metric, m),
      align: "right" as const,
      render: (_: unknown, row: Record<string, unknown>) => formatMeasure(row[m.key] as number, m.unit),
      onCell: () => ({ style: { whiteSpace: "nowrap" as const } }),
    })),
  ];
  return (
    <Table
      size="small"
      rowKey={(row) => metric.dimensions.map((d) => String(row[d.key])).join("|")}
      columns={columns}
      dataSource={rows}
      pagination={rows.length > 50 ? { pageSize: 50, size: "small" } : false}
      scroll={{ x: "max-content" }}
      onRow={(row) => ({ onClick: () => onPoint?.(Object.fromEntries(metric.dimensions.map((d) => [d.key, row[d.key]]))), style: { cursor: onPoint ? "pointer" : undefined } })}
    />
  );
}

export const tableRenderer: ChartRenderer = { chart: "table", Component: MetricTable };
