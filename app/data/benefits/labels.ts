/** i18n keys of the benefits' registry values: core/enums/benefits.ts (labels live once, in app/i18n). */
export {
  BENEFIT_KINDS,
  benefitGrantStatusLabel,
  benefitKindLabel,
  benefitPeriodLabel,
  benefitRefusalLabel,
  benefitSourceLabel,
} from "../../../core/enums/benefits.ts";
