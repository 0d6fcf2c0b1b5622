import { useGetIdentity } from "@refinedev/core";
import { DatePicker, Tag } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { businessToday } from "../../dashboards/filters";
import { fenToYuan, type SettlementDecision } from "../../data/settlement/types";
import { formatMoney } from "../../lib/format";
import type { Identity } from "../../providers/auth-provider";

/** The first day of the month before today's (business time zone): the latest month that can be closed. */
export const lastEndedMonth = () => dayjs(businessToday()).subtract(1, "month").format("YYYY-MM-01");
/** The first day of the current month. */
export const currentMonth = () => dayjs(businessToday()).format("YYYY-MM-01");
/** True when the month (its first day) has ended in the business time zone. */
export const monthEnded = (period: string) => dayjs(period).add(1, "month").format("YYYY-MM-DD") <= businessToday();
/** 2026-11 for the period 2026-11-01. */
export const monthLabel = (period: string) => period.slice(0, 7);

/**
 * Whose settlement the signed-in user reads and decides, as SQL does: admins and group-wide finance decide every
 * unit's statements (private.is_group_finance), a unit's finance and managers their unit's (decides_settlement_for);
 * group-wide directors read every unit, finance, managers and directors of a unit read theirs (settlement_units).
 */
export function useFinanceScope() {
  const { data: identity } = useGetIdentity<Identity | null>();
  const grants = identity?.roles ?? [];
  const groupFinance = grants.some((g) => g.role === "admin" || (g.role === "finance" && !g.business_unit_id));
  const groupReader = groupFinance || grants.some((g) => g.role === "director" && !g.business_unit_id);
  const unitsOf = (roles: readonly string[]) => [...new Set(grants.flatMap((g) => (roles.includes(g.role) && g.business_unit_id ? [g.business_unit_id] : [])))];
  const deciding = unitsOf(["finance", "manager"]);
  const units = unitsOf(["finance", "manager", "director"]);
  return {
    /** Group-wide finance (or an admin): decides every unit's statements and closes months. */
    groupWide: groupFinance,
    /** The units a unit-scoped login reads. */
    units,
    /** The user may confirm or dispute this unit's statements. */
    decides: (unitId: string) => groupFinance || deciding.includes(unitId),
    /** Only the user's own units' statements are listed. */
    scoped: !groupReader,
  };
}

/** A month picker on period first days (YYYY-MM-01). */
export function MonthPicker({ value, onChange, label }: { value: string; onChange: (period: string) => void; label?: string }) {
  const { t } = useTranslation();
  return (
    <DatePicker
      picker="month"
      aria-label={label ?? t("settlement.month")}
      allowClear={false}
      value={dayjs(value)}
      disabledDate={(date) => date.isAfter(dayjs(businessToday()), "month")}
      onChange={(date) => date && onChange(date.startOf("month").format("YYYY-MM-DD"))}
    />
  );
}

/** Yuan with 2 decimals from integer fen, on one line. */
export function Money({ fen }: { fen: number | string | null | undefined }) {
  return <span style={{ whiteSpace: "nowrap" }}>{formatMoney(fenToYuan(fen))}</span>;
}

export const moneyText = (fen: number | string | null | undefined) => formatMoney(fenToYuan(fen));

/** A side's decision on a statement: confirmed, disputed or pending. */
export function DecisionTag({ decision }: { decision: SettlementDecision | null | undefined }) {
  const { t } = useTranslation();
  const color = decision === "confirmed" ? "green" : decision === "disputed" ? "red" : "default";
  return (
    <Tag color={color} style={{ whiteSpace: "nowrap" }}>
      {t(`settlement.decisions.${decision ?? "pending"}`)}
    </Tag>
  );
}

/** The i18n label of an event kind; an unknown kind (registered later in SQL) shows the generic label. */
export const eventKindLabel = (t: (key: string) => string, kind: string) => t(`settlement.eventKinds.${kind}`);
