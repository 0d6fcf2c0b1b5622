/**
 * The outcome side of a rule, built from blocks: what a rule returns when its condition holds. Each kind
 * offers the blocks its results take (its module's outcomeBlocks; see checkResult there).
 */
import { ruleKind } from "../rule-kinds/index.ts";

export type Rounding = "floor" | "round" | "none";

export interface TierFactor {
  tier: string;
  factor: number;
}

/** amount × rate × tier multiplier, optionally capped, then rounded. */
export interface PointsBlock {
  type: "points";
  /** The numeric field the points are counted from (a `var` path). */
  base: string;
  rate: number;
  /** Multipliers per tier code (checked in this order) and the one for every other tier; null: none. */
  tiers: { factors: TierFactor[]; otherwise: number } | null;
  cap: number | null;
  rounding: Rounding;
}

export type Block =
  | { type: "none" }
  | { type: "number"; value: number }
  | { type: "text"; value: string }
  | { type: "texts"; values: string[] }
  | { type: "numbers"; values: number[] }
  | { type: "date"; value: string }
  | { type: "periodEnd"; period: "month" | "year"; field: string }
  /** add_months(field, months): the same day `months` calendar months after the date field. */
  | { type: "monthsAfter"; field: string; months: number }
  /** A tier threshold: the tier code the member holds at least (tier rules). */
  | { type: "tier"; value: string }
  | PointsBlock;

export type BlockType = Block["type"];

/** The blocks a kind's outcomes take, as its module declares them (RuleKindModule.outcomeBlocks). */
export const blockTypesFor = (kind: string): readonly BlockType[] => ruleKind(kind).outcomeBlocks;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const single = (v: unknown, op: string): unknown[] | null => {
  if (!isObject(v)) return null;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === op && Array.isArray(v[op]) ? (v[op] as unknown[]) : null;
};
const varPath = (v: unknown): string | null => {
  if (!isObject(v) || Object.keys(v).length !== 1 || typeof v.var !== "string") return null;
  return v.var;
};
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

export const TIER_PATH = "member.tier";

function tierChainToLogic(tiers: NonNullable<PointsBlock["tiers"]>): unknown {
  const args: unknown[] = [];
  for (const f of tiers.factors) args.push({ "==": [{ var: TIER_PATH }, f.tier] }, f.factor);
  args.push(tiers.otherwise);
  return { if: args };
}

function readTierChain(v: unknown): PointsBlock["tiers"] {
  const args = single(v, "if");
  if (!args || args.length < 3 || args.length % 2 === 0 || !isNumber(args[args.length - 1])) return null;
  const factors: TierFactor[] = [];
  for (let i = 0; i < args.length - 1; i += 2) {
    const eq = single(args[i], "==");
    if (!eq || eq.length !== 2 || varPath(eq[0]) !== TIER_PATH || typeof eq[1] !== "string" || !isNumber(args[i + 1])) return null;
    factors.push({ tier: eq[1], factor: args[i + 1] as number });
  }
  return { factors, otherwise: args[args.length - 1] as number };
}

function pointsToLogic(b: PointsBlock): unknown {
  const factors: unknown[] = [{ var: b.base }];
  if (b.rate !== 1) factors.push(b.rate);
  if (b.tiers) factors.push(tierChainToLogic(b.tiers));
  let expr: unknown = factors.length === 1 ? factors[0] : { "*": factors };
  if (b.cap !== null) expr = { min: [expr, b.cap] };
  return b.rounding === "none" ? expr : { [b.rounding]: [expr] };
}

function readPoints(logic: unknown): PointsBlock | null {
  let expr = logic;
  let rounding: Rounding = "none";
  for (const r of ["floor", "round"] as const) {
    const args = single(expr, r);
    if (args) {
      if (args.length !== 1) return null;
      rounding = r;
      expr = args[0];
      break;
    }
  }
  let cap: number | null = null;
  const min = single(expr, "min");
  if (min) {
    if (min.length !== 2 || !isNumber(min[1])) return null;
    cap = min[1];
    expr = min[0];
  }
  const factors = single(expr, "*") ?? [expr];
  const base = varPath(factors[0]);
  if (!base) return null;
  let i = 1;
  let rate = 1;
  if (i < factors.length && isNumber(factors[i])) rate = factors[i++] as number;
  let tiers: PointsBlock["tiers"] = null;
  if (i < factors.length) {
    tiers = readTierChain(factors[i++]);
    if (!tiers) return null;
  }
  if (i !== factors.length) return null;
  return { type: "points", base, rate, tiers, cap, rounding };
}

/** The JSON-logic of a block. */
export function blockToLogic(b: Block): unknown {
  switch (b.type) {
    case "none":
      return null;
    case "number":
    case "text":
    case "date":
    case "tier":
      return b.value;
    case "texts":
    case "numbers":
      return [...b.values];
    case "periodEnd":
      return { [b.period === "month" ? "end_of_month" : "end_of_year"]: [{ var: b.field }] };
    case "monthsAfter":
      return { add_months: [{ var: b.field }, b.months] };
    case "points":
      return pointsToLogic(b);
  }
}

/** The block a value reads as among the given types (first match), or null. */
export function logicToBlock(logic: unknown, types: readonly BlockType[]): Block | null {
  for (const type of types) {
    const b = readAs(logic, type);
    if (b) return b;
  }
  return null;
}

function readAs(logic: unknown, type: BlockType): Block | null {
  switch (type) {
    case "none":
      return logic === null ? { type } : null;
    case "number":
      return isNumber(logic) ? { type, value: logic } : null;
    case "text":
    case "tier":
      return typeof logic === "string" ? { type, value: logic } : null;
    case "date":
      return typeof logic === "string" && ISO_DATE.test(logic) ? { type, value: logic } : null;
    case "texts":
      return Array.isArray(logic) && logic.every((v) => typeof v === "string") ? { type, values: logic as string[] } : null;
    case "numbers":
      return Array.isArray(logic) && logic.every(isNumber) ? { type, values: logic as number[] } : null;
    case "periodEnd": {
      for (const [op, period] of [["end_of_month", "month"], ["end_of_year", "year"]] as const) {
        const args = single(logic, op);
        const field = args?.length === 1 ? varPath(args[0]) : null;
        if (field) return { type, period, field };
      }
      return null;
    }
    case "monthsAfter": {
      const args = single(logic, "add_months");
      const field = args?.length === 2 ? varPath(args[0]) : null;
      return field && args && Number.isInteger(args[1]) ? { type, field, months: args[1] as number } : null;
    }
    case "points":
      return readPoints(logic);
  }
}

/** A new block of a type (when the user switches the block type). */
export function emptyBlock(type: BlockType, kindDateField: string, baseField: string): Block {
  switch (type) {
    case "none":
      return { type };
    case "number":
      return { type, value: 0 };
    case "text":
    case "tier":
      return { type, value: "" };
    case "date":
      return { type, value: "" };
    case "texts":
    case "numbers":
      return { type, values: [] };
    case "periodEnd":
      return { type, period: "month", field: kindDateField };
    case "monthsAfter":
      return { type, field: kindDateField, months: 12 };
    case "points":
      return { type, base: baseField, rate: 1, tiers: null, cap: null, rounding: "floor" };
  }
}
