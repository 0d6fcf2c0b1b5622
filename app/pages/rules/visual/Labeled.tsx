import { Space, Typography } from "antd";
import type { ReactNode } from "react";

/** An input with its label in front (antd's addonBefore is deprecated). */
export function Labeled({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Space size={4}>
      <Typography.Text type="secondary">{label}</Typography.Text>
      {children}
    </Space>
  );
}
