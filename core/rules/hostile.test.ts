// Rules written to hurt the worker: deep nesting, huge literals, prototype tricks, unknown
// operations and unbounded work must be refused or stopped with a clear error.
import { afterEach, describe, expect, it } from "vitest";
import { compileRule, evaluateRule, interpretRule, RuleEvaluationError, RuleValidationError, validateRule } from "./index";

function nested(levels: number): unknown {
  let rule: unknown = { var: "x" };
  for (let i = 0; i < levels; i++) rule = { "!": [rule] };
  return rule;
}

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

describe("depth 10,000 nesting", () => {
  const deep = nested(10_000);
  const deepJson = JSON.parse(`${'{"and":['.repeat(10_000)}true${"]}".repeat(10_000)}`);

  it.each([["built", deep], ["parsed from JSON", deepJson]])("%s: refused by the validator", (_name, rule) => {
    const result = validateRule(rule);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0].message).toBe("nested deeper than 32 levels");
  });

  it.each([["built", deep], ["parsed from JSON", deepJson]])("%s: refused by the compiler without a stack overflow", (_name, rule) => {
    expect(thrown(() => compileRule(rule))).toBeInstanceOf(RuleValidationError);
    expect(thrown(() => evaluateRule(rule, {}))).toBeInstanceOf(RuleValidationError);
  });

  it("stays refused when a caller raises the depth limit", () => {
    const limits = { maxDepth: 1_000_000, maxNodes: 1_000_000 };
    expect(thrown(() => compileRule(deep, { limits }))).toBeInstanceOf(RuleValidationError);
    expect(thrown(() => interpretRule(deep, { x: 1 }, { limits })).message).toBe("rule: nested deeper than 1000 levels");
  });

  it("refused by the interpreter without a stack overflow", () => {
    const error = thrown(() => interpretRule(deep, { x: 1 }));
    expect(error).toBeInstanceOf(RuleEvaluationError);
    expect(error.message).toBe("rule: nested deeper than 32 levels");
  });
});

describe("a 1,000,000-element literal array", () => {
  const huge = { in: [{ var: "x" }, Array.from({ length: 1_000_000 }, (_, i) => i)] };

  it("is refused quickly, with the path of the array", () => {
    const started = performance.now();
    expect(validateRule(huge)).toEqual({
      ok: false, errors: [{ path: "/in/1", code: "array_too_long", params: { max: 1000, count: 1000000 }, message: "array longer than 1000 elements (1000000)" }],
    });
    expect(thrown(() => compileRule(huge))).toBeInstanceOf(RuleValidationError);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("is refused as an argument list too", () => {
    expect(thrown(() => compileRule({ "+": new Array(1_000_000).fill(1) })).message).toContain(
      "/+: argument list longer than 1000 (1000000)",
    );
  });
});

describe("prototype keys in rules and data", () => {
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  const pollutingData = () => JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "list": [1]}');

  it.each([
    ['{"merge": [{"__proto__": {"polluted": "yes"}}]}', "/merge/0/__proto__"],
    ['{"merge": [{"var": "list"}, {"constructor": {"prototype": {"polluted": "yes"}}}]}', "/merge/1/constructor"],
    ['{"var": "__proto__.polluted"}', "/var"],
    ['{"var": ["constructor.prototype", 0]}', "/var/0"],
    ['{"missing": ["__proto__"]}', "/missing/0"],
    ['{"reduce": [{"var": "list"}, {"var": "accumulator.__proto__"}, {}]}', "/reduce/1/var"],
  ])("rule %s is refused at %s", (text, path) => {
    const rule = JSON.parse(text);
    const error = thrown(() => evaluateRule(rule, pollutingData()));
    expect(error).toBeInstanceOf(RuleValidationError);
    expect((error as RuleValidationError).errors.map((e) => e.path)).toContain(path);
  });

  it.each([
    [{ var: "__proto__" }, null],
    [{ var: "__proto__.polluted" }, null],
    [{ var: ["constructor", "fallback"] }, "fallback"],
    [{ var: "constructor.prototype.polluted" }, null],
    [{ var: "toString" }, null],
    [{ var: "list.constructor" }, null],
    [{ var: "list.length" }, 1],
    [{ missing: ["__proto__", "list"] }, ["__proto__"]],
  ])("the interpreter reads %j from hostile data as %j", (rule, expected) => {
    expect(interpretRule(rule, pollutingData())).toStrictEqual(expected);
  });

  it.each([
    [{ var: { cat: ["__pro", "to__"] } }, null],
    [{ var: [{ cat: ["__proto__", ".polluted"] }, "none"] }, "none"],
    [{ var: { cat: ["construc", "tor.prototype"] } }, null],
    [{ missing: { merge: [["__proto__"], "list"] } }, ["__proto__"]],
    [{ merge: [{ var: "list" }, { var: "list" }] }, [1, 1]],
  ])("a computed path %j reads hostile data as %j (compiled and interpreted)", (rule, expected) => {
    expect(compileRule(rule)(pollutingData())).toStrictEqual(expected);
    expect(interpretRule(rule, pollutingData())).toStrictEqual(expected);
  });

  it("does not read a property someone already put on Object.prototype", () => {
    Object.defineProperty(Object.prototype, "injected", { value: "gotcha", configurable: true, writable: true });
    try {
      expect(evaluateRule({ var: "injected" }, {})).toBeNull();
      expect(evaluateRule({ var: "a.injected" }, { a: {} })).toBeNull();
      expect(interpretRule({ var: "injected" }, {})).toBeNull();
    } finally {
      delete (Object.prototype as Record<string, unknown>).injected;
    }
  });

  it("works on data without a prototype", () => {
    const data = Object.assign(Object.create(null), { a: { b: 2 } });
    expect(evaluateRule({ var: "a.b" }, data)).toBe(2);
  });
});

describe("unknown operations", () => {
  it("are refused with their path", () => {
    const error = thrown(() => evaluateRule({ if: [{ var: "x" }, { system: ["rm -rf /"] }, 0] }, { x: true }));
    expect(error).toBeInstanceOf(RuleValidationError);
    expect((error as RuleValidationError).errors).toEqual([{ path: "/if/1/system", code: "unknown_operation", params: { op: "system" }, message: 'unknown operation "system"' }]);
    expect(error.message).toBe('invalid rule: /if/1/system: unknown operation "system"');
  });

  it("are refused even in a branch that would not run", () => {
    expect(thrown(() => compileRule({ if: [false, { nope: [] }, 1] }))).toBeInstanceOf(RuleValidationError);
  });

  it("cannot reach inherited names", () => {
    for (const name of ["toString", "hasOwnProperty", "valueOf", "__defineGetter__"]) {
      expect(validateRule({ [name]: [1] })).toMatchObject({ ok: false });
      expect(thrown(() => interpretRule({ [name]: [1] }, {})).message).toBe(`${name}: unknown operation`);
    }
  });
});

describe("unbounded work", () => {
  const big = { xs: new Array(1_000_000).fill(1) };

  it.each([
    ["map", { map: [{ var: "xs" }, { "+": [{ var: "" }, 1] }] }],
    ["filter", { filter: [{ var: "xs" }, true] }],
    ["reduce", { reduce: [{ var: "xs" }, { "+": [{ var: "current" }, { var: "accumulator" }] }, 0] }],
    ["all", { all: [{ var: "xs" }, true] }],
    ["merge", { merge: [{ var: "xs" }, 1] }],
    ["in", { in: [2, { var: "xs" }] }],
    ["missing", { missing: { var: "xs" } }],
  ])("%s over a 1,000,000-element data array stops with a clear error", (op, rule) => {
    for (const run of [() => compileRule(rule)(big), () => interpretRule(rule, big)]) {
      const started = performance.now();
      const error = thrown(run);
      expect(error).toBeInstanceOf(RuleEvaluationError);
      expect((error as RuleEvaluationError).op).toBe(op);
      expect(error.message).toContain("evaluation limit reached: more than 100000 array elements visited in one evaluation");
      expect(performance.now() - started).toBeLessThan(200);
    }
  });

  it("counts nested iterations across the whole evaluation", () => {
    const data = { xs: new Array(400).fill(0) };
    const rule = { map: [{ var: "xs" }, { map: [{ var: "" }, 1] }] }; // inner source is a number: no work
    expect(compileRule(rule)(data)).toHaveLength(400);
    const square = { reduce: [{ var: "xs" }, { in: [1, { var: "current" }] }, null] };
    const rows = { xs: Array.from({ length: 400 }, () => new Array(400).fill(0)) }; // 160,400 visits
    expect(thrown(() => compileRule(square)(rows)).message).toMatch(/^in: evaluation limit reached/);
    expect(compileRule(square, { limits: { maxIterations: 200_000 } })(rows)).toBe(false);
  });

  it("stops doubling arrays and strings", () => {
    const doubling = (op: string) => ({
      reduce: [{ var: "xs" }, { [op]: [{ var: "accumulator" }, { var: "accumulator" }] }, op === "cat" ? "ab" : [1]],
    });
    const data = { xs: new Array(40).fill(0) };
    expect(thrown(() => evaluateRule(doubling("merge"), data)).message).toMatch(/^merge: evaluation limit reached/);
    expect(thrown(() => evaluateRule(doubling("cat"), data)).message).toBe("cat: result longer than 100000 characters");
  });

  it("gives each evaluation a fresh budget", () => {
    const rule = compileRule({ map: [{ var: "xs" }, 1] });
    const data = { xs: new Array(60_000).fill(0) };
    expect(rule(data)).toHaveLength(60_000);
    expect(rule(data)).toHaveLength(60_000);
  });
});
