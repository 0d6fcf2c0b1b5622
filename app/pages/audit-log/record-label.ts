import i18next, { type TFunction } from "i18next";
import { ruleKindLabel } from "../../../core/rule-kinds/index.ts";
import { localizedName } from "../../lib/format";
import type { AuditEntry } from "../../lib/types";

export interface Names {
  staff: (userId: string) => string | undefined;
  unit: (unitId: string) => string | undefined;
  language: string;
}

const text = (value: unknown) => (typeof value === "string" && value ? value : undefined);

/**
 * What the changed record is, in words, from its own row image (so deleted records keep a name):
 * "王小明 · M00012", "消费积分 · v2", "经理 · 星河酒店 · 经理 张伟", a definition by its title; never its UUID.
 */
export function recordLabel(entry: AuditEntry, t: TFunction, names: Names): string {
  const row = (entry.after ?? entry.before ?? {}) as Record<string, unknown>;
  const userId = text(row.user_id);
  const unitId = text(row.business_unit_id);
  const dashboardTitle = (row.definition as { title?: Record<string, unknown> } | undefined)?.title;
  const parts = [
    entry.table_name === "business_units" || entry.table_name === "tiers"
      ? localizedName(row as { name?: string; name_en?: string }, names.language)
      : entry.table_name === "dashboard_definitions" && dashboardTitle
        ? text(dashboardTitle[names.language === "en" ? "en" : "zh-CN"])
        : (text(row.display_name) ?? text(row.name) ?? text((names.language === "en" && row.title_en) || row.title) ?? text(row.step_name) ?? text(row.key) ?? text(row.tag) ?? text(row.external_id)),
    text(row.member_no),
    text(row.card_no),
    typeof row.version === "number" ? `v${row.version}` : undefined,
    text(row.role) && t(`roles.${String(row.role)}`),
    entry.table_name === "rule_sets" && text(row.kind) ? t(ruleKindLabel(String(row.kind))) : undefined,
    unitId ? names.unit(unitId) : undefined,
    userId && entry.table_name !== "staff_profiles" ? names.staff(userId) : undefined,
  ];
  return parts.filter(Boolean).join(" · ") || "—";
}

/** A reason written by the system (a code such as auto-tagging) in words; what staff typed stays as typed. */
export function reasonText(reason: string | null, t: TFunction): string {
  if (!reason) return "—";
  const key = `audit_log.systemReasons.${reason}`;
  return /^[a-z][a-z-]*$/.test(reason) && i18next.exists(key) ? t(key) : reason;
}
