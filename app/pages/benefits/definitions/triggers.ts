import type { TFunction } from "i18next";
import type { BenefitDefinition } from "../../../data/benefits/types";

/** How a definition is granted, in words: on tiers, in the birthday month, on a purchase; else by request only. */
export function triggerText(def: BenefitDefinition, t: TFunction): string {
  const parts = [
    def.grant_on_tiers?.length ? t("benefit_definitions.triggers.tiers", { count: def.grant_on_tiers.length }) : null,
    def.grant_in_birthday_month ? t("benefit_definitions.triggers.birthday") : null,
    def.grant_on_transaction !== null && def.grant_on_transaction !== undefined ? t("benefit_definitions.triggers.transaction") : null,
  ].filter(Boolean);
  return parts.length ? parts.join("、") : t("benefit_definitions.triggers.manual");
}
