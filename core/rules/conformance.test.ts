// The official JsonLogic suite through the compiled paths (generated code, and closures alone as under a
// CSP without 'unsafe-eval'), the interpreter and json-logic-js itself,
// plus a seeded differential fuzz against json-logic-js for what the suite does not reach.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import jsonLogic from "json-logic-js";
import { describe, expect, it } from "vitest";
import { compileRule, interpretRule, validateRule } from "./index";

type Case = [rule: unknown, data: unknown, expected: unknown];

/** The closures-only path (compileRule's default generates code where the platform allows it). */
const closuresOnly = (rule: unknown) => compileRule(rule, { generate: false });

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturePath = path.join(here, "fixtures/jsonlogic-tests.json");
const sharedPath = path.resolve(here, "../../../shared/data/jsonlogic-tests.json");

function loadSuite(): { section: string; test: Case }[] {
  const entries = JSON.parse(readFileSync(fixturePath, "utf8")) as (string | Case)[];
  let section = "";
  const cases: { section: string; test: Case }[] = [];
  for (const entry of entries) {
    if (typeof entry === "string") section = entry.replace(/^#\s*/, "");
    else cases.push({ section, test: entry });
  }
  return cases;
}

const suite = loadSuite();
const rows = suite.map(({ section, test: [rule, data, expected] }, i) => ({
  name: `#${i + 1} ${section}: ${JSON.stringify(rule)} on ${JSON.stringify(data)}`,
  rule, data, expected,
}));

describe("official JsonLogic suite", () => {
  it("has 277 cases and the fixture equals the shared original when present", () => {
    expect(suite).toHaveLength(277);
    if (existsSync(sharedPath)) expect(readFileSync(fixturePath, "utf8")).toBe(readFileSync(sharedPath, "utf8"));
  });

  it.each(rows)("$name", ({ rule, data, expected }) => {
    expect(validateRule(rule)).toEqual({ ok: true });
    expect(compileRule(rule)(data)).toStrictEqual(expected);
    expect(closuresOnly(rule)(data)).toStrictEqual(expected);
    expect(interpretRule(rule, data)).toStrictEqual(expected);
    expect(jsonLogic.apply(rule as jsonLogic.RulesLogic, data)).toStrictEqual(expected);
  });
});

describe("agreement with json-logic-js beyond the suite", () => {
  const edge: [string, unknown, unknown][] = [
    ["* with one string argument returns it uncast", { "*": ["2"] }, {}],
    ["+ casts strings and -0", { "+": ["-0", "1.5e1", -0] }, {}],
    ["var default on missing path", { var: ["a.b.c", 7] }, { a: { b: null } }],
    ["var null value beats the default", { var: ["a", 7] }, { a: null }],
    ["var over a string index", { var: "s.1" }, { s: "abc" }],
    ["var length of an array", { var: "xs.length" }, { xs: [1, 2, 3] }],
    ["and of nothing", { and: [] }, {}],
    ["or returns the last falsy", { or: [0, "", []] }, {}],
    ["in with empty string haystack", { in: ["", ""] }, {}],
    ["substr negative end", { substr: ["jsonlogic", -5, -2] }, {}],
    ["merge nested arrays one level", { merge: [[1, [2]], 3, [[4]]] }, {}],
    ["reduce without initial starts at null", { reduce: [[1, 2], { "+": [{ var: "current" }, { var: "accumulator" }] }] }, {}],
    ["cat of null, arrays and numbers", { cat: [null, [1, [2, null]], 3.5, true] }, {}],
    ["min of nothing", { min: [] }, {}],
    ["between with a null upper bound", { "<": [1, 2, { var: "nope" }] }, {}],
    ["missing_some counts strings", { missing_some: [1, { merge: [["a"], "b"] }] }, { b: 1 }],
    ["if with an even argument count and no else", { if: [false, 1, false, 2] }, {}],
    ["map with non-array source", { map: [{ var: "x" }, 1] }, { x: 5 }],
    ["literal array with logic", [{ var: "a" }, [1, { var: "b" }]], { a: 1, b: 2 }],
    ["var of a number path", { var: 1 }, ["x", "y"]],
    ["loose equality of array and string", { "==": [[1, 2], "1,2"] }, {}],
    ["one-subject chain, literal on either side", { if: [{ "==": [{ var: "bu" }, "hotel"] }, 2, { "==": ["park", { var: "bu" }] }, 1.5, 0.5] }, { bu: "park" }],
    ["one-subject chain with ordering tests", { if: [{ ">=": [{ var: "n" }, 3] }, { "*": [{ var: "n" }, 2] }, { "<": [1, { var: "n" }] }, "two", null] }, { n: 2 }],
    ["one-subject chain without a match or else", { if: [{ "===": [{ var: "n" }, "2"] }, 1, { "!=": [{ var: "n" }, 2] }, 2] }, { n: 2 }],
    ["one-subject chain on missing data", { if: [{ "==": [{ var: "n" }, null] }, "none", { ">": [{ var: "n" }, 0] }, "pos", "neg"] }, {}],
  ];
  it.each(edge)("%s", (_name, rule, data) => {
    const expected = jsonLogic.apply(rule as jsonLogic.RulesLogic, data);
    expect(compileRule(rule)(data)).toStrictEqual(expected);
    expect(closuresOnly(rule)(data)).toStrictEqual(expected);
    expect(interpretRule(rule, data)).toStrictEqual(expected);
  });

  it("agrees on 5,000 seeded random rules (and would on any that throw)", () => {
    const random = seeded(20261123);
    let compared = 0;
    for (let i = 0; i < 5000; i++) {
      const rule = randomRule(random, 4);
      const data = randomData(random);
      const theirs = attempt(() => jsonLogic.apply(rule as jsonLogic.RulesLogic, data));
      const compiled = attempt(() => compileRule(rule)(data));
      const closures = attempt(() => closuresOnly(rule)(data));
      const interpreted = attempt(() => interpretRule(rule, data));
      const context = `rule ${JSON.stringify(rule)} data ${JSON.stringify(data)}`;
      expect(compiled, context).toStrictEqual(theirs);
      expect(closures, context).toStrictEqual(theirs);
      expect(interpreted, context).toStrictEqual(theirs);
      compared++;
    }
    expect(compared).toBe(5000);
  });
});

function attempt(run: () => unknown): { value?: unknown; threw?: true } {
  try {
    return { value: run() };
  } catch {
    return { threw: true };
  }
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const KEYS = ["a", "b", "list", "nested.x", "nested.y", "missing", "", "list.0"];
const SCALARS: unknown[] = [0, 1, -1, 2.5, "", "0", "a", "abc", "10", true, false, null, [], [1, "a"]];
const BINARY = ["==", "===", "!=", "!==", ">", ">=", "<", "<=", "%", "/", "-", "in", "min", "max", "+", "*", "cat", "merge"];
const UNARY = ["!", "!!", "-", "+", "*", "cat", "merge"];
const VARIADIC = ["and", "or", "if", "+", "*", "cat", "merge", "min", "max"];
const ITERATE = ["map", "filter", "all", "none", "some"];

function randomRule(random: () => number, depth: number): unknown {
  const r = random();
  if (depth === 0 || r < 0.2) return pick(random, SCALARS);
  if (r < 0.4) return random() < 0.7 ? { var: pick(random, KEYS) } : { var: [pick(random, KEYS), randomRule(random, 0)] };
  const sub = () => randomRule(random, depth - 1);
  if (r < 0.6) return { [pick(random, BINARY)]: [sub(), sub()] };
  if (r < 0.7) return { [pick(random, UNARY)]: [sub()] };
  if (r < 0.8) return { [pick(random, VARIADIC)]: Array.from({ length: 1 + Math.floor(random() * 4) }, sub) };
  if (r < 0.85) return { [pick(random, ["<", "<="])]: [sub(), sub(), sub()] };
  if (r < 0.88) return randomSwitch(random, sub);
  if (r < 0.9) return { substr: [sub(), pick(random, [0, 1, -1, -2, 5]), pick(random, [1, -1, 2])] };
  if (r < 0.94) return { [pick(random, ITERATE)]: [{ var: "list" }, sub()] };
  if (r < 0.97) return { reduce: [{ var: "list" }, { "+": [{ var: "current" }, { var: "accumulator" }] }, sub()] };
  return random() < 0.5 ? { missing: [pick(random, KEYS), pick(random, KEYS)] } : { missing_some: [1, [pick(random, KEYS), pick(random, KEYS)]] };
}

const COMPARE = ["==", "===", "!=", "!==", "<", "<=", ">", ">="];
const LITERALS: unknown[] = [0, 1, 2.5, "", "0", "a", "10", true, false, null];

/** An if-chain testing one subject against literals (compiled as a switch), literal on either side. */
function randomSwitch(random: () => number, sub: () => unknown): unknown {
  const subject = pick(random, [{ var: pick(random, KEYS) }, { "+": [{ var: "a" }, 1] }, { cat: [{ var: "b" }, "x"] }]);
  const args: unknown[] = [];
  for (let i = 0, n = 2 + Math.floor(random() * 3); i < n; i++) {
    const [op, literal] = [pick(random, COMPARE), pick(random, LITERALS)];
    args.push({ [op]: random() < 0.5 ? [subject, literal] : [literal, subject] }, random() < 0.5 ? i : sub());
  }
  if (random() < 0.7) args.push(random() < 0.5 ? "else" : sub());
  return { if: args };
}

function randomData(random: () => number): unknown {
  if (random() < 0.05) return null;
  return {
    a: pick(random, SCALARS),
    b: pick(random, SCALARS),
    list: Array.from({ length: Math.floor(random() * 4) }, () => pick(random, [0, 1, 2, "x", "", null, true])),
    nested: { x: pick(random, SCALARS), y: pick(random, SCALARS) },
  };
}
