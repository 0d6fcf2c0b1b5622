import { useGetIdentity } from "@refinedev/core";
import { Select, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { CARD_LIMITS, cardStatusLabel, fenToYuan, type CardStatus } from "../../../core/enums/index.ts";
import type { Identity } from "../../providers/auth-provider";
import { useMemberSearch } from "../../data/members/use-member-search";

const STATUS_COLORS: Record<CardStatus, string> = { active: "green", frozen: "blue", lost: "orange", cancelled: "default", replaced: "default" };

export function CardStatusTag({ status }: { status: CardStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLORS[status]}>{t(cardStatusLabel(status))}</Tag>;
}

/** ¥1,234.50 from fen. */
export function formatFen(fen: number | string | null | undefined): string {
  if (fen === null || fen === undefined || fen === "") return "—";
  const value = Number(fen);
  if (!Number.isFinite(value)) return "—";
  const sign = value < 0 ? "-" : "";
  return `${sign}¥${(Math.abs(value) / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Yuan with two decimals, no currency sign (for messages that already say ¥). */
export const yuan = (fen: number) => Number(fenToYuan(fen)).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * True when the signed-in user may post a refund above the staff cap at this unit (a manager or
 * director of the unit, group-wide, or an administrator): the same rule as private.assert_card_large_amount.
 */
export function useMayPostLarge() {
  const { data: identity } = useGetIdentity<Identity | null>();
  return (unitId: string | undefined) =>
    (identity?.roles ?? []).some((g) => g.role === "admin" || ((g.role === "manager" || g.role === "director") && (!g.business_unit_id || g.business_unit_id === unitId)));
}

/** The amount rules of an antd InputNumber in yuan: positive, two decimals, at most the single cap (and a further max). */
export function amountRules(t: (key: string, values?: Record<string, unknown>) => string, max?: { fen: number; message: string }) {
  return [
    { required: true, message: t("stored_value_cards.form.amountRequired") },
    { type: "number" as const, min: 0.01, message: t("stored_value_cards.form.amountRequired") },
    { type: "number" as const, max: CARD_LIMITS.max_amount_fen / 100, message: t("stored_value_cards.form.overCap", { max: yuan(CARD_LIMITS.max_amount_fen) }) },
    ...(max ? [{ type: "number" as const, max: max.fen / 100, message: max.message }] : []),
  ];
}

/** Picks a member by name, phone or member number. */
export function MemberSelect({ value, onChange, id }: { value?: string; onChange?: (v: string | undefined) => void; id?: string }) {
  const search = useMemberSearch(value);
  return (
    <Select<string>
      id={id}
      showSearch
      allowClear
      filterOption={false}
      loading={search.loading}
      value={value ?? undefined}
      onSearch={search.onSearch}
      options={search.options}
      onChange={(next) => onChange?.(next ?? undefined)}
    />
  );
}
