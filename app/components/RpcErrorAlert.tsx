import { Alert } from "antd";

/** The (localized) message of a refused call, inside a dialog or form. Nothing when there is none. */
export function RpcErrorAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return <Alert type="error" showIcon message={message} style={{ marginBottom: 16 }} />;
}
