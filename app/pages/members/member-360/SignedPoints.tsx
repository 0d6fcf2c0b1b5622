import { Typography } from "antd";

/** +128 in green, -50 in red: a ledger amount with its sign. */
export function SignedPoints({ value }: { value: number }) {
  const text = `${value > 0 ? "+" : ""}${value.toLocaleString("en-US")}`;
  return <Typography.Text type={value < 0 ? "danger" : "success"}>{text}</Typography.Text>;
}
