import type { ContextField, ContextValues } from "./module.ts";

/** Context fields and samples shared by several kinds (workflows/README.md, "What each kind receives"). */
const field = (path: string, type: ContextField["type"], values?: ContextValues): ContextField =>
  values ? { path, type, label: `ruleContext.${path}`, values } : { path, type, label: `ruleContext.${path}` };

export const TRANSACTION_FIELDS: readonly ContextField[] = [
  field("transaction.amount", "number"),
  field("transaction.channel", "string", "channels"),
  field("transaction.occurred_at", "date-time"),
  field("transaction.order_no", "string"),
  field("transaction.items", "array"),
  field("transaction.business_unit.code", "string", "businessUnits"),
  field("transaction.business_unit.kind", "string", "unitKinds"),
];

export const MEMBER_FIELDS: readonly ContextField[] = [
  field("member.tier", "string", "tiers"),
  field("member.tags", "string[]"),
  field("member.birthday", "date"),
  field("member.growth_value", "integer"),
  field("member.joined_at", "date-time"),
  field("member.status", "string", "memberStatuses"),
  field("member.home_business_unit", "string", "businessUnits"),
];

export const NOW_FIELD = field("now", "date-time");
export { field as contextField };

export const SAMPLE_TRANSACTION = {
  amount: 188.8,
  channel: "pos",
  occurred_at: "2026-03-10T02:00:00.000Z",
  order_no: "T-1",
  items: [],
  business_unit: { code: "hotel", kind: "hotel" },
};

export const SAMPLE_MEMBER = {
  tier: "gold",
  tags: ["高价值"],
  birthday: "1990-03-25",
  growth_value: 1234,
  joined_at: "2024-05-01T08:00:00.000Z",
  status: "active",
  home_business_unit: "mall",
};
