// Generated rule code: text in rules stays data, and where generated code is refused the closures take over.
import { afterEach, describe, expect, it, vi } from "vitest";
import { compileRule, interpretRule } from "./index";
import { sourceCompiler } from "./compile-source";

const HOSTILE_TEXT = [
  '"); globalThis.pwned = 1; ("',
  "'; globalThis.pwned = 1; '",
  "`${globalThis.pwned = 1}`",
  "*/ globalThis.pwned = 1; /*",
  "\\\"); globalThis.pwned = 1; //",
  "line\nbreak\u2028separator\u2029end",
  "\ud800 lone surrogate",
  "</script><script>globalThis.pwned = 1</script>",
];

describe("generated rule code", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    delete (globalThis as Record<string, unknown>).pwned;
  });

  it("is what compileRule uses here (the rule runs as one generated function)", () => {
    const closure = vi.fn(() => () => "from a closure");
    const run = sourceCompiler()!({ if: [{ ">": [{ var: "a.b" }, 1] }, "big", "small"] }, closure);
    expect(closure).not.toHaveBeenCalled();
    expect(run?.({ a: { b: 2 } })).toBe("big");
  });

  it("calls the closure of a subtree it does not cover, built once", () => {
    const build = vi.fn(() => () => "ab");
    const run = sourceCompiler()!({ "==": [{ cat: ["a", "b"] }, "ab"] }, build);
    expect(run?.({})).toBe(true);
    expect(build).toHaveBeenCalledTimes(1);
  });

  it.each(HOSTILE_TEXT)("keeps %j as data in literals, var paths and defaults", (text) => {
    const key = text.replaceAll(".", "_"); // a dot in a var path separates steps
    const rule = { if: [{ "==": [{ var: key }, text] }, { var: [`x.${key}`, text] }, { cat: [text, { var: "y" }] }] };
    const data = { [key]: text, x: { [key]: "found" }, y: "!" };
    expect(compileRule(rule)(data)).toBe("found");
    expect(compileRule(rule)({ [key]: "other", y: "!" })).toBe(`${text}!`);
    expect(compileRule({ var: [`x.${key}`, text] })({})).toBe(text);
    expect(compileRule({ in: [{ var: "v" }, [text, "b"]] })({ v: text })).toBe(true);
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
  });

  it("steps aside where generated code is refused (a CSP without 'unsafe-eval'), with the same results", () => {
    const rule = { if: [{ and: [{ "==": [{ var: "bu" }, "mall"] }, { "<=": [0, { days_between: ["2025-03-01", { var: "at" }] }, 30] }] }, { floor: [{ var: "amount" }] }, 0] };
    const data = { bu: "mall", at: "2025-03-12", amount: 99.5 };
    vi.stubGlobal("Function", () => {
      throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not allowed");
    });
    expect(sourceCompiler()).toBeUndefined();
    expect(compileRule(rule)(data)).toBe(99);
    vi.unstubAllGlobals();
    expect(sourceCompiler()).toBeDefined();
    expect(compileRule(rule)(data)).toBe(99);
    expect(interpretRule(rule, data)).toBe(99);
  });
});

describe("rules the generated code leaves to the closures", () => {
  it("a rule nested deeper than 64 levels gets no generated function and still evaluates", () => {
    let deep: unknown = { var: "x" };
    for (let i = 0; i < 40; i++) deep = { "+": [deep, 1] }; // 40 operations, each an object and an argument array
    expect(sourceCompiler()!(deep, () => () => 0)).toBeUndefined();
    expect(compileRule(deep, { limits: { maxDepth: 100 } })({ x: 2 })).toBe(42);
    expect(interpretRule(deep, { x: 2 }, { limits: { maxDepth: 100 } })).toBe(42);
  });
});
