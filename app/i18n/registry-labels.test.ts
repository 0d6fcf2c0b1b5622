import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  BENEFIT_GRANT_STATUSES, BENEFIT_KINDS, BENEFIT_PERIODS, BENEFIT_REFUSALS, BENEFIT_SOURCES, benefitGrantStatusLabel, benefitKindLabel,
  benefitPeriodLabel, benefitRefusalLabel, benefitSourceLabel, APPROVAL_FLOW_ACTIONS, approvalFlowActionLabel,
  BUSINESS_UNIT_KINDS, businessUnitKindLabel, CARD_ENTRY_KINDS, CARD_STATUSES, CARD_TYPES, cardEntryKindLabel, cardStatusLabel, cardTypeLabel, channelLabel, DEFINITION_STATUSES, definitionStatusLabel, GENDERS, genderLabel, LOT_KINDS, lotKindLabel, MEMBER_STATUSES,
  memberStatusLabel, PAYMENT_CHANNELS, paymentChannelLabel, roleLabel, ROLES, TRANSACTION_CHANNELS,
} from "../../core/enums/index.ts";
import { PALETTE_TYPES } from "../../core/field-types/index.ts";
import { METRIC_MODULES, metricMeasureLabel, metricTitleLabel, metricValueLabel } from "../../core/metrics/index.ts";
import { EXPIRY_HORIZONS } from "../../core/metrics/metrics/points_expiring.ts";
import { TIER_DIRECTIONS } from "../../core/metrics/metrics/tier_movements.ts";
import { RULE_KIND_MODULES } from "../../core/rule-kinds/index.ts";
import builderEn from "./builder.en.json";
import builderZhCN from "./builder.zh-CN.json";
import en from "./en.json";
import metricsEn from "./metrics.en.json";
import metricsZhCN from "./metrics.zh-CN.json";
import rulesEn from "./rules.en.json";
import rulesZhCN from "./rules.zh-CN.json";
import zhCN from "./zh-CN.json";

const LANGUAGES = { "zh-CN": { ...zhCN, ...builderZhCN, ...rulesZhCN, ...metricsZhCN }, en: { ...en, ...builderEn, ...rulesEn, ...metricsEn } };

/** Values of each metric's `label` dimensions (named by the metric's own i18n). */
const LABEL_VALUES: Record<string, readonly string[]> = { points_expiring: EXPIRY_HORIZONS, tier_movements: TIER_DIRECTIONS };

function lookup(tree: unknown, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), tree);
}

const keys = [
  ...LOT_KINDS.map(lotKindLabel),
  ...CARD_TYPES.map(cardTypeLabel),
  ...BENEFIT_KINDS.map(benefitKindLabel),
  ...BENEFIT_SOURCES.map(benefitSourceLabel),
  ...BENEFIT_GRANT_STATUSES.map(benefitGrantStatusLabel),
  ...BENEFIT_PERIODS.map(benefitPeriodLabel),
  ...BENEFIT_REFUSALS.map(benefitRefusalLabel),
  ...APPROVAL_FLOW_ACTIONS.map(approvalFlowActionLabel),
  ...CARD_STATUSES.map(cardStatusLabel),
  ...CARD_ENTRY_KINDS.map(cardEntryKindLabel),
  ...PAYMENT_CHANNELS.map(paymentChannelLabel),
  ...TRANSACTION_CHANNELS.map(channelLabel),
  ...BUSINESS_UNIT_KINDS.map(businessUnitKindLabel),
  ...ROLES.map(roleLabel),
  ...MEMBER_STATUSES.map(memberStatusLabel),
  ...GENDERS.map(genderLabel),
  ...DEFINITION_STATUSES.map(definitionStatusLabel),
  ...RULE_KIND_MODULES.flatMap((m) => [m.label, ...m.context.map((f) => f.label)]),
  ...PALETTE_TYPES.map((type) => `builder.palette.${type}`),
  ...METRIC_MODULES.flatMap((m) => [
    metricTitleLabel(m.key),
    ...m.measures.map((x) => metricMeasureLabel(m.key, x.key)),
    ...(m.dimensions.some((d) => d.type === "label") ? (LABEL_VALUES[m.key] ?? ["(values missing from the test)"]) : [])
      .map((v) => metricValueLabel(m.key, v)),
  ]),
];

describe("every registry value has a label in each language", () => {
  for (const [language, translations] of Object.entries(LANGUAGES)) {
    it(language, () => {
      const missing = keys.filter((key) => typeof lookup(translations, key) !== "string");
      expect(missing).toEqual([]);
    });
  }
});

describe("seed definitions name registry values as the translations do", () => {
  const lists: [readonly string[], (value: string) => string][] = [
    [TRANSACTION_CHANNELS, channelLabel],
    [BUSINESS_UNIT_KINDS, businessUnitKindLabel],
    [MEMBER_STATUSES, memberStatusLabel],
    [GENDERS, genderLabel],
    [LOT_KINDS, lotKindLabel],
    [PAYMENT_CHANNELS, paymentChannelLabel],
  ];
  const files = ["forms", "entities"].flatMap((dir) =>
    fs.readdirSync(path.join("schemas", dir)).filter((f) => f.endsWith(".schema.json")).map((f) => path.join("schemas", dir, f)));

  it.each(files)("%s", (file) => {
    const schema = JSON.parse(fs.readFileSync(file, "utf8")) as { properties: Record<string, { enum?: string[] }> };
    const ui = JSON.parse(fs.readFileSync(file.replace(".schema.json", ".ui.json"), "utf8")) as Record<string, { "ui:enumNames"?: string[]; "ui:options"?: { enumNames_en?: string[] } }>;
    for (const [name, property] of Object.entries(schema.properties)) {
      const list = property.enum && lists.find(([values]) => values.length === property.enum!.length && values.every((v) => property.enum!.includes(v)));
      if (!list) continue;
      const [, label] = list;
      expect({ name, zh: ui[name]?.["ui:enumNames"] }).toEqual({ name, zh: property.enum!.map((v) => lookup(LANGUAGES["zh-CN"], label(v))) });
      expect({ name, en: ui[name]?.["ui:options"]?.enumNames_en }).toEqual({ name, en: property.enum!.map((v) => lookup(LANGUAGES.en, label(v))) });
    }
  });
});
