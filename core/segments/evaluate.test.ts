import { describe, expect, it } from "vitest";
import { compileSegment, SegmentEvaluationError } from "./evaluate.ts";
import { SAMPLE_SEGMENT_DATA } from "./fields.ts";

const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as SegmentEvaluationError;
  }
  throw new Error("expected a failure");
};

describe("segment conditions", () => {
  it("hold or not for a member's data, tags and tier ranks included", () => {
    const inactiveGold = compileSegment({ and: [{ "==": [{ var: "member.tier" }, "gold"] }, { ">=": [{ var: "stats.days_since_purchase" }, 90] }] });
    expect(inactiveGold(SAMPLE_SEGMENT_DATA)).toBe(true);
    expect(inactiveGold({ ...SAMPLE_SEGMENT_DATA, stats: { ...SAMPLE_SEGMENT_DATA.stats, days_since_purchase: 30 } })).toBe(false);
    expect(compileSegment({ has_tag: [{ var: "member.tags" }, "流失预警"] })(SAMPLE_SEGMENT_DATA)).toBe(true);
    const atLeastSilver = compileSegment({ ">=": [{ tier_rank: [{ var: "member.tier" }] }, 1] }, undefined, { tierLadder: ["standard", "silver", "gold"] });
    expect(atLeastSilver(SAMPLE_SEGMENT_DATA)).toBe(true);
  });

  it("refuse an invalid condition, stop a runaway one at the rule engine's bounds, and stop after the deadline", () => {
    expect(failure(() => compileSegment({ nope: [1] })).code).toBe("invalid");
    const bomb = compileSegment({
      reduce: [Array.from({ length: 40 }, () => 0), { merge: [{ var: "accumulator" }, { var: "accumulator" }] }, [1]],
    });
    const limit = failure(() => bomb(SAMPLE_SEGMENT_DATA));
    expect(limit).toBeInstanceOf(SegmentEvaluationError);
    expect(limit.code).toBe("failed");
    expect(limit.message).toMatch(/limit/);
    const late = compileSegment(true, Date.now() - 1);
    expect(failure(() => late(SAMPLE_SEGMENT_DATA)).code).toBe("too_slow");
  });
});
