/**
 * The rule evaluator gives the same results in the browser (loaded through the app's Vite server,
 * with the browser's own Intl time zones) as in Node (where the engine runs it): the official
 * JsonLogic suite, compiled (generated code, and closures only as under a CSP without 'unsafe-eval')
 * and interpreted, and a table of every custom operation, errors included.
 */
import { expect, test } from "./fixtures";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compileRule, interpretRule } from "../core/rules/index.ts";
import { customCases } from "../core/rules/fixtures/custom-cases.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const suite = (JSON.parse(fs.readFileSync(path.join(root, "core/rules/fixtures/jsonlogic-tests.json"), "utf8")) as unknown[])
  .filter((entry): entry is [unknown, unknown, unknown] => Array.isArray(entry));
const cases = [...suite.map(([rule, data]) => [rule, data] as [unknown, unknown]), ...customCases];

type Outcome = { compiled: unknown; closures: unknown; interpreted: unknown };

function outcomesIn(compile: typeof compileRule, interpret: typeof interpretRule, all: [unknown, unknown][]): Outcome[] {
  const attempt = (fn: () => unknown) => {
    try {
      return { value: fn() ?? null };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  return all.map(([rule, data]) => ({
    compiled: attempt(() => compile(rule)(data)),
    closures: attempt(() => compile(rule, { generate: false })(data)),
    interpreted: attempt(() => interpret(rule, data)),
  }));
}

test("browser and engine evaluate every suite case and custom operation identically", async ({ page }) => {
  await page.goto("/login");
  const inBrowser = await page.evaluate(
    async ({ modulePath, all, runner }) => {
      const rules = await import(/* @vite-ignore */ modulePath);
      const run = new Function("compile", "interpret", "all", `return (${runner})(compile, interpret, all);`);
      return run(rules.compileRule, rules.interpretRule, all);
    },
    { modulePath: `/@fs${root}/core/rules/index.ts`, all: cases, runner: outcomesIn.toString() },
  );
  const inNode = outcomesIn(compileRule, interpretRule, cases);
  expect(inBrowser).toHaveLength(suite.length + customCases.length);
  expect(inBrowser).toEqual(JSON.parse(JSON.stringify(inNode)));
  suite.forEach(([, , expected], i) => {
    expect(inBrowser[i].compiled, `suite case ${i + 1}`).toEqual({ value: expected ?? null });
    expect(inBrowser[i].closures, `suite case ${i + 1} (closures)`).toEqual({ value: expected ?? null });
  });
});
