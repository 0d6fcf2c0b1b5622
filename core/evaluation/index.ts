/**
 * Rule evaluation as pure functions, isomorphic (no Node APIs): which rule versions are in force at a
 * moment, for which business unit, and what each kind's rules give. The engine runs it for real and for
 * what-if; the browser can run it for previews. Contracts per kind: workflows/README.md.
 */
export { clearCompiledRules } from "./compile-cache.ts";
export { RuleBook, type RuleBookOptions, type RulesInForce } from "./rule-book.ts";
export type { AppliedRule, Combination, LoadedRule, ResultError, RuleProblem, RuleRecord, RuleSetRecord } from "./types.ts";
export { resolveScope, scopeKey } from "./unit-scope.ts";
export { evaluateEarning, toPoints, type EarningData, type EarningOutcome, type EvaluatedLot } from "../rule-kinds/kinds/earning.ts";
export { evaluateGrowth, toGrowth, type GrowthData, type GrowthOutcome } from "../rule-kinds/kinds/growth.ts";
export { evaluateHold, MAX_HOLD_DAYS, toHoldDays, type HoldData, type HoldOutcome } from "../rule-kinds/kinds/hold.ts";
export { defaultExpiry, evaluateExpiry, toExpiry, type ExpiryData } from "../rule-kinds/kinds/expiry.ts";
export { evaluateReminders, MAX_REMINDER_DAYS, toReminders, type ReminderData, type ReminderOffset } from "../rule-kinds/kinds/reminder.ts";
export { evaluateTags, MAX_TAG_LENGTH, toTags, type TaggingData } from "../rule-kinds/kinds/tagging.ts";
export { isoInstant } from "../time/iso-instant.ts";
export { zoneMidnight } from "../time/zone.ts";
export { evaluateTier, toTierFloor, type TierData, type TierOutcome } from "../rule-kinds/kinds/tier.ts";
