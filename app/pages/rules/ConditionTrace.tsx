import { Tag, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { TraceStep } from "../../../core/rule-tests/index.ts";
import { MONO } from "./mono";

const depth = (path: string) => Math.max(0, path.split("/").length - 1) / 2;

/** Which branch of each `if` was taken and which comparisons held, in evaluation order (core/rule-tests traceRule). */
export function ConditionTrace({ steps }: { steps: TraceStep[] }) {
  const { t } = useTranslation();
  if (!steps.length) return <Typography.Text type="secondary">{t("rules.bench.traceEmpty")}</Typography.Text>;
  return (
    <ol data-testid="bench-trace" style={{ listStyle: "none", margin: 0, padding: 0 }}>
      {steps.map((s) => (
        <li key={s.path} style={{ paddingLeft: depth(s.path) * 12, opacity: s.reached ? 1 : 0.5, lineHeight: "22px" }}>
          <Typography.Text style={MONO} translate="no">{s.op}</Typography.Text>{" "}
          <Typography.Text type="secondary" style={{ ...MONO, fontSize: 11 }} translate="no">{s.path || "/"}</Typography.Text>{" "}
          {!s.reached ? (
            <Tag>{t("rules.bench.notReached")}</Tag>
          ) : s.error ? (
            <Tooltip title={s.error.slice(0, 300)}><Tag color="red">{t("rules.bench.traceError")}</Tag></Tooltip>
          ) : s.op === "if" || s.op === "?:" ? (
            <Tag color={s.branch === null ? "default" : "blue"}>
              {s.branch === "else" ? t("rules.bench.elseBranch") : s.branch === null || s.branch === undefined ? t("rules.bench.noBranch") : t("rules.bench.branch", { n: s.branch + 1 })}
            </Tag>
          ) : typeof s.value === "boolean" ? (
            <Tag color={s.value ? "green" : "orange"}>{t(s.value ? "rules.bench.holds" : "rules.bench.fails")}</Tag>
          ) : (
            <Typography.Text style={MONO} translate="no">{JSON.stringify(s.value ?? null)}</Typography.Text>
          )}
        </li>
      ))}
    </ol>
  );
}
