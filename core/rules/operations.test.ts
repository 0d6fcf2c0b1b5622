import jsonLogic from "json-logic-js";
import { describe, expect, it } from "vitest";
import { compileRule, customOperations, DEFAULT_CONTEXT, interpretRule, jsonLogicOperations, RuleEvaluationError } from "./index";
import type { OperationContext } from "./index";

const UTC: Partial<OperationContext> = { timeZone: "UTC" };

/**
 * Runs one operation through the compiled paths (generated code and closures alone) and the interpreted
 * path and checks they agree.
 * Arguments come from data (`{"var": "0"}`, ...) so values JSON cannot hold (NaN, objects) reach the op.
 */
function run(op: string, args: unknown[], context?: Partial<OperationContext>): unknown {
  const rule = { [op]: args.map((_, i) => ({ var: String(i) })) };
  const compiled = compileRule(rule)(args, context);
  expect(compileRule(rule, { generate: false })(args, context)).toStrictEqual(compiled);
  expect(interpretRule(rule, args, { context })).toStrictEqual(compiled);
  return compiled;
}

function failure(op: string, args: unknown[], context?: Partial<OperationContext>): RuleEvaluationError {
  try {
    run(op, args, context);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleEvaluationError);
    return error as RuleEvaluationError;
  }
  throw new Error(`${op} did not throw`);
}

describe("add_months(date, n)", () => {
  it.each([
    ["2025-01-15", 1, "2025-02-15"],
    ["2024-01-31", 1, "2024-02-29"],
    ["2025-01-31", 1, "2025-02-28"],
    ["2025-03-31", -1, "2025-02-28"],
    ["2025-11-30", 2, "2026-01-30"],
    ["2025-03-15", -3, "2024-12-15"],
    ["2025-06-15", 0, "2025-06-15"],
    ["2025-06-15", 24, "2027-06-15"],
    ["2025-03-05T18:00:00Z", 12, "2026-03-06"], // 02:00 next day in Shanghai
  ])("add_months(%j, %j) = %j", (date, n, expected) => {
    expect(run("add_months", [date, n])).toBe(expected);
  });

  it.each([
    [["2025-02-30", 1], "date", "must be an ISO date"],
    [["2025-03-05", 1.5], "n", "must be an integer"],
    [["2025-03-05", 200_000], "n", "from -120000 to 120000"],
    [["9999-12-31", 1], undefined, "outside years 0000-9999"],
  ])("add_months%j fails on %s", (args, argument, message) => {
    const error = failure("add_months", args);
    expect(error.op).toBe("add_months");
    expect(error.argument).toBe(argument);
    expect(error.message).toContain(message);
  });
});

describe("add_days(date, n)", () => {
  it.each([
    ["2025-01-31", 1, "2025-02-01"],
    ["2024-02-28", 1, "2024-02-29"],
    ["2023-02-28", 1, "2023-03-01"],
    ["2025-03-01", -1, "2025-02-28"],
    ["2024-12-31", 1, "2025-01-01"],
    ["2025-06-15", 0, "2025-06-15"],
    ["2025-06-15", 365, "2026-06-15"],
    ["2025-03-05T23:30:00", 0, "2025-03-05"], // no offset: wall time in Asia/Shanghai
    ["2025-03-05T18:00:00Z", 0, "2025-03-06"], // 02:00 next day in Shanghai
    ["2025-03-05T15:59:59Z", 0, "2025-03-05"],
    ["2025-03-05T16:00:00Z", 0, "2025-03-06"],
    ["2025-03-05T01:00:00+09:00", 0, "2025-03-05"], // 00:00 in Shanghai
    ["2025-03-05T00:30:00+09:00", 0, "2025-03-04"],
    ["2025-03-05 10:00:00.123+0800", 1, "2025-03-06"],
  ])("add_days(%j, %j) = %j", (date, n, expected) => {
    expect(run("add_days", [date, n])).toBe(expected);
  });

  it("accepts a JS Date as an instant", () => {
    expect(compileRule({ add_days: [{ var: "at" }, 0] })({ at: new Date("2025-03-05T18:00:00Z") })).toBe("2025-03-06");
  });

  it.each([
    [["2025-02-30", 1], "date", "must be an ISO date"],
    [["05/03/2025", 1], "date", "must be an ISO date"],
    [[20250305, 1], "date", "got number 20250305"],
    [[null, 1], "date", "got null"],
    [["2025-03-05T24:00:00", 1], "date", "must be an ISO date"],
    [["2025-03-05", 1.5], "n", "must be an integer"],
    [["2025-03-05", "1"], "n", 'got the string "1"'],
    [["9999-12-31", 1], undefined, "outside years 0000-9999"],
  ])("add_days%j fails on %s", (args, argument, message) => {
    const error = failure("add_days", args);
    expect(error.op).toBe("add_days");
    expect(error.argument).toBe(argument);
    expect(error.message).toContain(message);
  });
});

describe("days_between(a, b) = b − a", () => {
  it.each([
    ["2025-01-01", "2025-01-31", 30],
    ["2025-01-31", "2025-01-01", -30],
    ["2024-01-01", "2025-01-01", 366],
    ["2025-03-05", "2025-03-05T23:59:59", 0],
    ["2025-03-05", "2025-03-05T16:30:00Z", 1], // already 03-06 in Shanghai
    ["1969-12-31", "1970-01-01", 1],
  ])("days_between(%j, %j) = %j", (a, b, expected) => {
    expect(run("days_between", [a, b])).toBe(expected);
  });

  it("names the argument at fault", () => {
    expect(failure("days_between", ["2025-01-01", "soon"]).message).toBe(
      "days_between: argument 'b' must be an ISO date (YYYY-MM-DD) or date-time string, got the string \"soon\"",
    );
  });
});

describe("start_of_month / end_of_month / end_of_year", () => {
  it.each([
    ["start_of_month", "2025-03-17", "2025-03-01"],
    ["start_of_month", "2025-03-31T17:00:00Z", "2025-04-01"],
    ["end_of_month", "2024-02-10", "2024-02-29"],
    ["end_of_month", "2023-02-10", "2023-02-28"],
    ["end_of_month", "2025-12-05", "2025-12-31"],
    ["end_of_month", "2025-04-30", "2025-04-30"],
    ["end_of_year", "2025-06-15", "2025-12-31"],
    ["end_of_year", "2025-12-31T16:00:00Z", "2026-12-31"],
  ])("%s(%j) = %j", (op, date, expected) => {
    expect(run(op, [date])).toBe(expected);
  });

  it.each([["start_of_month"], ["end_of_month"], ["end_of_year"]])("%s refuses a non-date", (op) => {
    expect(failure(op, [42]).message).toBe(`${op}: argument 'date' must be an ISO date (YYYY-MM-DD) or date-time string, got number 42`);
  });
});

describe("time-zone policy", () => {
  it.each([
    ["2025-03-05T18:00:00Z", "Asia/Shanghai", "2025-03-06"],
    ["2025-03-05T18:00:00Z", "UTC", "2025-03-05"],
    ["2025-03-05T18:00:00Z", "America/New_York", "2025-03-05"],
    ["2025-03-06T03:00:00Z", "America/New_York", "2025-03-05"],
    ["2025-07-01T03:30:00Z", "America/New_York", "2025-06-30"], // EDT, UTC−4
    ["1988-06-01T15:30:00Z", "Asia/Shanghai", "1988-06-02"], // China's 1986-91 summer time: UTC+9
    ["2025-03-05", "America/New_York", "2025-03-05"], // a calendar date never moves
    ["2025-03-05T23:00:00", "UTC", "2025-03-05"], // wall time never moves
  ])("%s is %s day %s", (date, timeZone, expected) => {
    expect(run("add_days", [date, 0], { timeZone })).toBe(expected);
  });

  it("reports an unknown zone", () => {
    expect(failure("add_days", ["2025-03-05T00:00:00Z", 0], { timeZone: "Mars/Olympus" }).message).toBe(
      'add_days: unknown time zone "Mars/Olympus"',
    );
  });
});

describe("is_birthday_month(birthday, date)", () => {
  it.each([
    ["1990-03-21", "2025-03-01", true],
    ["1990-03-21", "2025-04-01", false],
    ["2000-02-29", "2025-02-28", true],
    ["1990-12-31", "2025-12-31T16:30:00Z", false], // already January in Shanghai
    ["1990-12-31", "2025-12-31T16:30:00Z", true, UTC],
    [null, "2025-03-01", false],
  ])("is_birthday_month(%j, %j) = %j", (birthday, date, expected, context?: Partial<OperationContext>) => {
    expect(run("is_birthday_month", [birthday, date], context)).toBe(expected);
  });

  it.each([
    [["March", "2025-03-01"], "birthday"],
    [["1990-03-21", null], "date"],
    [[19900321, "2025-03-01"], "birthday"],
  ])("is_birthday_month%j fails on %s", (args, argument) => {
    expect(failure("is_birthday_month", args).argument).toBe(argument);
  });
});

describe("floor(x)", () => {
  it.each([
    [1.9, 1], [-1.1, -2], [5, 5], [-0.5, -1], [-0, 0], [0.999999, 0],
  ])("floor(%j) = %j", (x, expected) => {
    expect(run("floor", [x])).toBe(expected);
  });
  it.each([["1.5"], [null], [NaN], [Infinity], [[1]]])("floor(%j) fails", (x) => {
    expect(failure("floor", [x]).message).toMatch(/^floor: argument 'x' must be a finite number, got /);
  });
});

describe("round(x, digits = 0): halves away from zero", () => {
  it.each([
    [2.5, undefined, 3], [-2.5, undefined, -3], [2.4, undefined, 2], [-2.4, undefined, -2],
    [0.5, undefined, 1], [-0.5, undefined, -1], [-0.4, undefined, 0],
    [1.005, 2, 1.01], [-1.005, 2, -1.01], [2.675, 2, 2.68], [1.2345, 3, 1.235],
    [1234.5, -2, 1200], [1250, -2, 1300], [-1250, -2, -1300],
    [1e-7, 2, 0], [1e21, 2, 1e21], [123.456, 0, 123],
  ])("round(%j, %j) = %j", (x, digits, expected) => {
    expect(run("round", digits === undefined ? [x] : [x, digits])).toBe(expected);
  });
  it.each([
    [["2.5"], "x"], [[null], "x"], [[1.5, 1.5], "digits"], [[1.5, "2"], "digits"], [[1.5, 16], "digits"],
  ])("round%j fails on %s", (args, argument) => {
    expect(failure("round", args).argument).toBe(argument);
  });
});

describe("tier_rank(code, ladder?)", () => {
  it.each([
    ["standard", undefined, 0], ["silver", undefined, 1], ["gold", undefined, 2], ["diamond", undefined, 3],
    ["platinum", undefined, -1], ["Gold", undefined, -1], [null, undefined, -1],
    ["platinum", ["basic", "silver", "gold", "platinum"], 3],
    ["gold", ["basic", "silver", "gold", "platinum"], 2],
    ["diamond", ["basic", "silver", "gold", "platinum"], -1],
  ])("tier_rank(%j, %j) = %j", (code, ladder, expected) => {
    expect(run("tier_rank", ladder === undefined ? [code] : [code, ladder])).toBe(expected);
  });

  it("reads the installation's ladder from the context", () => {
    const context = { tierLadder: ["member", "vip", "svip"] };
    expect(run("tier_rank", ["svip"], context)).toBe(2);
    expect(run("tier_rank", ["gold"], context)).toBe(-1);
  });

  it.each([[[3], "code"], [[["gold"]], "code"], [["gold", "gold,silver"], "ladder"]])("tier_rank%j fails on %s", (args, argument) => {
    expect(failure("tier_rank", args).argument).toBe(argument);
  });
});

describe("has_tag(tags, tag)", () => {
  it.each([
    [["vip", "staff"], "vip", true],
    [["vip", "staff"], "VIP", false],
    [[], "vip", false],
    [null, "vip", false],
  ])("has_tag(%j, %j) = %j", (tags, tag, expected) => {
    expect(run("has_tag", [tags, tag])).toBe(expected);
  });
  it.each([[["vip", 1], "tag"], [["vip", null], "tag"], [["vip,staff", "vip"], "tags"], [[{ vip: true }, "vip"], "tags"]])(
    "has_tag%j fails on %s",
    (args, argument) => {
      expect(failure("has_tag", args).argument).toBe(argument);
    },
  );
});

describe("registry", () => {
  it("documents every operation in one line", () => {
    for (const [name, op] of Object.entries(customOperations)) {
      expect(op.doc.startsWith(`${name}(`), name).toBe(true);
      expect(op.doc).not.toContain("\n");
    }
  });

  it("defaults to Asia/Shanghai and the standard-to-diamond ladder", () => {
    expect(DEFAULT_CONTEXT).toEqual({ timeZone: "Asia/Shanghai", tierLadder: ["standard", "silver", "gold", "diamond"] });
  });

  it("gives json-logic-js the same operations", () => {
    for (const [name, fn] of Object.entries(jsonLogicOperations())) jsonLogic.add_operation(name, fn);
    const rule = { if: [{ is_birthday_month: [{ var: "birthday" }, { var: "at" }] }, { round: [{ "*": [{ var: "amount" }, 1.5] }] }, 0] };
    const data = { birthday: "1990-03-09", at: "2025-03-31T16:30:00Z", amount: 99 };
    expect(jsonLogic.apply(rule as jsonLogic.RulesLogic, data)).toBe(0); // April in Shanghai
    expect(compileRule(rule)(data)).toBe(0);
    expect(compileRule(rule)({ ...data, at: "2025-03-31" })).toBe(149);
    for (const name of Object.keys(customOperations)) jsonLogic.rm_operation(name);
  });
});

describe("date parsing", () => {
  it.each([
    ["2025-03-05T10:00", "2025-03-05"],
    ["2025-03-05t10:00:00z", "2025-03-05"],
    ["2025-03-05T20:00:00+00", "2025-03-06"],
    ["2025-03-05T20:00:00-0130", "2025-03-06"],
    ["2025-03-05T23:59:59.999999+08:00", "2025-03-05"],
    ["2024-02-29", "2024-02-29"],
    ["2000-02-29", "2000-02-29"],
    ["0001-01-01", "0001-01-01"],
  ])("%s is %s in Shanghai", (text, expected) => {
    expect(run("add_days", [text, 0])).toBe(expected);
  });

  it.each([
    "2025-3-05", "2025-03-5", "2025/03/05", "2025-03-05T", "2025-03-05T10", "2025-03-05T10:00:00.",
    "2025-03-05T10:00:00+8:00", "2025-03-05T10:00:00+19:00", "2025-03-05T10:60", "2025-03-05x",
    "1900-02-29", "2025-00-10", "2025-13-10", "2025-04-31", " 2025-03-05", "２０２５-03-05",
  ])("refuses %j", (text) => {
    expect(failure("add_days", [text, 0]).argument).toBe("date");
  });
});
