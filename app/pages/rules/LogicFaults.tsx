import { Alert, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { faultText, type LogicCheck } from "./logic";

/** The live verdict on the rule text: JSON syntax error, each validation fault with its path, or valid. */
export function LogicFaults({ check }: { check: LogicCheck }) {
  const { t } = useTranslation();
  if (check.state === "ok") return <Alert type="success" showIcon message={t("rules.editor.valid")} data-testid="logic-check" />;
  if (check.state === "json") {
    return <Alert type="error" showIcon message={t("rules.editor.invalidJson", { line: check.line, column: check.column })} data-testid="logic-check" />;
  }
  return (
    <Alert
      type="error"
      showIcon
      data-testid="logic-check"
      message={t("rules.editor.faults", { count: check.errors.length })}
      description={
        <ul style={{ margin: 0, paddingLeft: 20 }}>
          {check.errors.map((e, i) => (
            <li key={i}>
              <Typography.Text code>{e.path || t("rules.editor.root")}</Typography.Text> {faultText(e, t)}
            </li>
          ))}
        </ul>
      }
    />
  );
}
