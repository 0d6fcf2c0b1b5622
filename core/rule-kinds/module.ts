import type { Combination } from "../evaluation/types.ts";
import type { BlockType } from "../rule-builder/blocks.ts";

/** A field of the data a kind's rules receive; `label` is an i18n key (app/i18n). */
export interface ContextField {
  /** Dotted path as JSON-logic `var` reads it. */
  path: string;
  type: "number" | "integer" | "string" | "date" | "date-time" | "string[]" | "array";
  label: string;
  /** Where its values come from, when they are a known list (the rule builder offers them to choose from). */
  values?: ContextValues;
}

/** Lists of values a context field takes: enums of core/enums or rows the app loads (tiers, business units). */
export type ContextValues = "tiers" | "businessUnits" | "unitKinds" | "channels" | "lotKinds" | "memberStatuses";

/** What the engine job that runs a kind's rules is called (graphile-worker task), or null: not evaluated yet. */
export type RuleKindJob = "earn_transaction" | "send_reminders" | "auto_tag" | "review_tiers" | null;

/**
 * One rule kind: everything the app, the engine and the seeders need to know about it. The evaluator of
 * each kind is exported beside its module (its inputs differ per kind).
 */
export interface RuleKindModule<K extends string = string> {
  kind: K;
  /** Where the rules center shows it among the kinds (ascending; unique). */
  position: number;
  /** i18n key of the kind's name. */
  label: string;
  /** Combination policies its rule sets may use (public.rule_kinds.combinations). */
  combinations: readonly Combination[];
  /** Whether a rule (and a rule set) may belong to one business unit (public.rule_kinds.unit_scoped). */
  unitScoped: boolean;
  /** Whether its rules name the lot kind their points go into (public.rule_kinds.uses_lot_kind). */
  usesLotKind: boolean;
  job: RuleKindJob;
  /** The data its rules receive. */
  context: readonly ContextField[];
  /** Example data (test bench, samples in the rules editor). */
  sample: unknown;
  /** The outcome blocks the visual rule editor offers for its results (core/rule-builder/blocks.ts). */
  outcomeBlocks: readonly BlockType[];
  /** A neutral first logic for a new rule. */
  startingLogic: unknown;
  /** Checks one rule's result: null when valid, else why not. */
  checkResult(value: unknown): string | null;
  /** The result as the kind uses it (an earning rule's points floored), given a valid one; default: as returned. */
  normalizeResult?(value: unknown): unknown;
}
