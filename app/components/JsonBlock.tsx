import { Typography } from "antd";

/** Pretty-printed JSON (audit before/after images). */
export function JsonBlock({ title, value }: { title: string; value: unknown }) {
  return (
    <div style={{ flex: 1, minWidth: 0 }}>
      <Typography.Text strong>{title}</Typography.Text>
      <pre style={{ margin: "4px 0 0", padding: 8, background: "rgba(0,0,0,0.04)", overflow: "auto", maxHeight: 320, fontSize: 12 }}>
        {value === null || value === undefined ? "—" : JSON.stringify(value, null, 2)}
      </pre>
    </div>
  );
}
