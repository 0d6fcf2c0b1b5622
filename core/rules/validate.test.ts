import { describe, expect, it } from "vitest";
import { validateRule } from "./index";

describe("validateRule accepts", () => {
  it.each([
    [true], [null], ["text"], [[1, "a", [2]]],
    [{ var: "a.b" }], [{ var: ["a", 0] }], [{ var: "" }], [{ var: [] }], [{ missing: "a" }],
    [{ if: [{ ">": [{ var: "amount" }, 100] }, { "*": [{ var: "amount" }, 2] }, 0] }],
    [{ "<": [0, { var: "x" }, 10] }],
    [{ add_days: [{ var: "date" }, 7] }],
    [{ round: [{ var: "x" }] }], [{ round: [{ var: "x" }, 2] }],
    [{ tier_rank: { var: "tier" } }],
    [{ reduce: [{ var: "xs" }, { "+": [{ var: "current" }, { var: "accumulator" }] }, 0] }],
  ])("%j", (rule) => {
    expect(validateRule(rule)).toEqual({ ok: true });
  });
});

describe("validateRule reports each fault with its JSON pointer", () => {
  it.each([
    ["unknown operation", { if: [{ ">": [{ nope: [1] }, 1] }, 1, 0] }, "/if/0/>/0/nope", 'unknown operation "nope"'],
    ["unknown nested in a literal array", [1, { eval: "x" }], "/1/eval", 'unknown operation "eval"'],
    ["two keys", { if: [true, { "==": [1, 1], "!=": [1, 2] }, 0] }, "/if/1", "object with 2 keys (==, !=)"],
    ["empty object", { "!": [{}] }, "/!/0", "empty object"],
    ["non-array arguments", { "==": 1 }, "/==", '"==" expects an array of 2 arguments'],
    ["non-array arguments of a custom op", { days_between: "2025-01-01" }, "/days_between", "expects an array of 2 arguments"],
    ["too few arguments", { map: [{ var: "xs" }] }, "/map", '"map" expects 2 arguments, got 1'],
    ["too many arguments", { floor: [1, 2] }, "/floor", '"floor" expects 1 argument, got 2'],
    ["between takes at most three", { "<": [1, 2, 3, 4] }, "/<", '"<" expects 2 to 3 arguments, got 4'],
    ["__proto__ as a key", JSON.parse('{"merge": [{"__proto__": {"polluted": 1}}]}'), "/merge/0/__proto__", 'forbidden key "__proto__"'],
    ["constructor as an operation", { constructor: [1] }, "/constructor", 'forbidden key "constructor"'],
    ["prototype in a var path", { var: "a.prototype.x" }, "/var", 'forbidden key "prototype" in data path'],
    ["__proto__ in a var path with default", { var: ["__proto__.polluted", 0] }, "/var/0", 'forbidden key "__proto__"'],
    ["constructor in missing", { missing: ["a", "constructor"] }, "/missing/1", 'forbidden key "constructor"'],
    ["constructor in a missing list", { missing: [["a", "b.constructor"]] }, "/missing/0/1", 'forbidden key "constructor"'],
    ["__proto__ in missing_some", { missing_some: [1, ["a", "__proto__"]] }, "/missing_some/1/1", 'forbidden key "__proto__"'],
    ["slash and tilde escaped", { "/": [1, { "a~b": 1 }] }, "/~1/1/a~0b", 'unknown operation "a~b"'],
    ["non-JSON value", { "==": [undefined, 1] }, "/==/0", "not a JSON value (undefined)"],
    ["non-finite number", { "+": [Infinity, 1] }, "/+/0", "numbers must be finite"],
    ["class instance", { "==": [new Date(0), 1] }, "/==/0", "not a plain JSON object"],
  ])("%s", (_name, rule, path, message) => {
    const result = validateRule(rule);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContainEqual(expect.objectContaining({ path, message: expect.stringContaining(message) }));
  });

  it("lists every fault, not only the first", () => {
    const result = validateRule({ and: [{ foo: 1 }, { var: "constructor" }, { "==": 1 }] });
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: "/and/0/foo", code: "unknown_operation", params: { op: "foo" }, message: 'unknown operation "foo"' },
        { path: "/and/1/var", code: "forbidden_path_key", params: { key: "constructor" }, message: 'forbidden key "constructor" in data path' },
        { path: "/and/2/==", code: "arity_array", params: { op: "==", min: 2, max: 2 }, message: '"==" expects an array of 2 arguments' },
      ],
    });
  });
});

describe("validateRule limits", () => {
  const nest = (levels: number) => {
    let rule: unknown = { var: "x" };
    for (let i = 1; i < levels; i++) rule = { "!": [rule] };
    return rule;
  };

  it("counts nesting of operations and literal arrays", () => {
    expect(validateRule(nest(32))).toEqual({ ok: true });
    expect(validateRule(nest(33))).toEqual({
      ok: false,
      errors: [{ path: `${"/!/0".repeat(32)}`, code: "too_deep", params: { max: 32 }, message: "nested deeper than 32 levels" }],
    });
    expect(validateRule(nest(5), { maxDepth: 4 }).ok).toBe(false);
    expect(validateRule([[[[1]]]], { maxDepth: 4 }).ok).toBe(true);
    expect(validateRule([[[[[1]]]]], { maxDepth: 4 }).ok).toBe(false);
  });

  it("bounds the number of nodes", () => {
    const rule = { "+": Array.from({ length: 600 }, () => ({ "*": [1, 2] })) };
    expect(validateRule(rule, { maxNodes: 5000 }).ok).toBe(true);
    expect(validateRule(rule, { maxNodes: 1000 })).toEqual({ ok: false, errors: [{ path: "", code: "too_many_nodes", params: { max: 1000 }, message: "rule has more than 1000 nodes" }] });
  });

  it("bounds literal arrays and argument lists", () => {
    expect(validateRule({ in: [{ var: "x" }, Array(1001).fill(1)] })).toEqual({
      ok: false, errors: [{ path: "/in/1", code: "array_too_long", params: { max: 1000, count: 1001 }, message: "array longer than 1000 elements (1001)" }],
    });
    expect(validateRule({ "+": Array(1001).fill(1) })).toEqual({
      ok: false, errors: [{ path: "/+", code: "arguments_too_long", params: { max: 1000, count: 1001 }, message: "argument list longer than 1000 (1001)" }],
    });
  });
});
