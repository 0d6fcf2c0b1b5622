import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import { definitionStatusLabel } from "../../../core/enums/index.ts";
import type { RuleStatus } from "../../data/rules/types";

const COLORS: Record<RuleStatus, string> = { draft: "gold", published: "green", archived: "default" };

export function RuleStatusTag({ status }: { status: RuleStatus }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[status]}>{t(definitionStatusLabel(status))}</Tag>;
}

export function ActiveWindow({ from, to }: { from: string | null; to: string | null }) {
  const { t } = useTranslation();
  if (!from && !to) return <>{t("rules.always")}</>;
  const fmt = (v: string | null) => (v ? v.slice(0, 10) : "…");
  return <>{`${fmt(from)} ~ ${fmt(to)}`}</>;
}
