/**
 * Closures for the custom operations. The frequent ones get a closure of their own, so each call
 * site sees one target and the JIT inlines the operation; the rest share the generic closures.
 * Custom operations neither return nor change their arguments, so literals are passed shared.
 */
import { customOperations, type OperationContext } from "./operations";
import { state } from "./runtime";

type Fn = (data: unknown) => unknown;
type Constant = (f: Fn) => { value: unknown } | undefined;

const floor = customOperations.floor.fn;
const round = customOperations.round.fn;
const tierRank = customOperations.tier_rank.fn;
const hasTag = customOperations.has_tag.fn;
const daysBetween = customOperations.days_between.fn;
const isBirthdayMonth = customOperations.is_birthday_month.fn;

export function buildCustom(
  op: string, fn: (ctx: OperationContext, ...args: unknown[]) => unknown, args: Fn[], constant: Constant,
): Fn {
  const [a, b] = args;
  if (args.length === 1) {
    switch (op) {
      case "floor": return (d) => floor(state.ctx, a(d));
      case "round": return (d) => round(state.ctx, a(d));
      case "tier_rank": return (d) => tierRank(state.ctx, a(d));
      default: return (d) => fn(state.ctx, a(d));
    }
  }
  if (args.length !== 2) return (d) => fn(state.ctx, ...args.map((f) => f(d)));
  const left = constant(a), right = constant(b);
  if (right) {
    const y = right.value;
    if (op === "has_tag") return (d) => hasTag(state.ctx, a(d), y);
    return (d) => fn(state.ctx, a(d), y);
  }
  if (left) {
    const x = left.value;
    if (op === "days_between") return (d) => daysBetween(state.ctx, x, b(d));
    return (d) => fn(state.ctx, x, b(d));
  }
  switch (op) {
    case "days_between": return (d) => daysBetween(state.ctx, a(d), b(d));
    case "is_birthday_month": return (d) => isBirthdayMonth(state.ctx, a(d), b(d));
    default: return (d) => fn(state.ctx, a(d), b(d));
  }
}
