/** Saved rule test cases and the condition trace: the same code in the test bench and the engine. */
export { canonical, ruleResult, runCase, runCases, type CaseOutcome, type RuleResult, type RuleTestCase } from "./run-case.ts";
export { MAX_TRACE_STEPS, traceRule, type TraceStep } from "./trace.ts";
