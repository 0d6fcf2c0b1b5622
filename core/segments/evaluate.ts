/**
 * A segment's condition compiled once with the rule engine's bounds (core/rules: work, memory and a clock per
 * evaluation) and a deadline over a whole run, so a hostile condition fails alone, with a reason.
 */
import { compileRule, truthy, validateRule, type OperationContext } from "../rules/index.ts";

export class SegmentEvaluationError extends Error {
  constructor(message: string, readonly code: "invalid" | "failed" | "too_slow") {
    super(message);
    this.name = "SegmentEvaluationError";
  }
}

export interface SegmentMatcher {
  (data: unknown): boolean;
}

/** The condition as a predicate; throws SegmentEvaluationError for a condition that is not valid. */
export function compileSegment(logic: unknown, deadline?: number, context?: Partial<OperationContext>): SegmentMatcher {
  const checked = validateRule(logic);
  if (!checked.ok) {
    throw new SegmentEvaluationError(checked.errors.slice(0, 3).map((e) => `${e.path || "(root)"}: ${e.message}`).join("; "), "invalid");
  }
  let compiled: ReturnType<typeof compileRule>;
  try {
    compiled = compileRule(logic);
  } catch (error) {
    throw new SegmentEvaluationError((error as Error).message, "invalid");
  }
  return (data: unknown) => {
    if (deadline !== undefined && Date.now() > deadline) throw new SegmentEvaluationError("the segment took too long to evaluate", "too_slow");
    try {
      return truthy(compiled(data, context));
    } catch (error) {
      throw new SegmentEvaluationError((error as Error).message, "failed");
    }
  };
}
