/**
 * Rule evaluator benchmark: the 10-rule earning set over 10,000 generated events,
 * 1,000,000 rule evaluations per engine and round (compiled = generated code, as the engine runs
 * rules; closures = the CSP-safe path the browser falls back to), each run in a fresh process (so no engine
 * inherits another's JIT state), rounds interleaved, medians reported.
 *
 *   npx tsx bench/rules/evaluator.ts            (N=200000 ROUNDS=5 to change the defaults)
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import jsonLogic from "json-logic-js";
import { compileRule, interpretRule, jsonLogicOperations } from "../../core/rules/index";
import { earningRules, generateEvents, type EarnEvent } from "./earning-set";
import { handWrittenEarning } from "./earning-handwritten";

const N = Number(process.env.N ?? 1_000_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const EVENTS = 10_000;
const WARMUP = 200_000;

type RuleFn = (event: EarnEvent) => unknown;
// compiled: compileRule as the engine uses it (generated code); closures: the path under a CSP without 'unsafe-eval'.
const ENGINES = ["compiled", "closures", "interpreter", "json-logic-js", "hand-written"] as const;
type EngineName = (typeof ENGINES)[number];

interface Measurement {
  engine: EngineName;
  evalsPerSecond: number;
  checksum: number;
}

function buildEngine(name: EngineName): RuleFn[] {
  const rules = earningRules.map((r) => r.rule);
  switch (name) {
    case "compiled":
      return rules.map((rule) => compileRule(rule));
    case "closures":
      return rules.map((rule) => compileRule(rule, { generate: false }));
    case "interpreter":
      return rules.map((rule) => (event) => interpretRule(rule, event));
    case "json-logic-js": {
      for (const [op, fn] of Object.entries(jsonLogicOperations())) jsonLogic.add_operation(op, fn);
      return rules.map((rule) => (event) => jsonLogic.apply(rule as jsonLogic.RulesLogic, event));
    }
    case "hand-written":
      return handWrittenEarning;
  }
}

/** `count` rule evaluations: every rule of the set on each event in turn. */
function evaluate(fns: RuleFn[], events: EarnEvent[], count: number): number {
  let sum = 0;
  for (let i = 0, k = 0; i < count; k++) {
    const event = events[k % events.length];
    for (let r = 0; r < fns.length && i < count; r++, i++) sum += fns[r](event) as number;
  }
  return sum;
}

function measure(engine: EngineName): Measurement {
  const events = generateEvents(EVENTS);
  const fns = buildEngine(engine);
  evaluate(fns, events, WARMUP);
  const started = performance.now();
  const checksum = evaluate(fns, events, N);
  const seconds = (performance.now() - started) / 1000;
  return { engine, evalsPerSecond: N / seconds, checksum };
}

function runChild(engine: EngineName): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ["--engine", engine], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.once("message", (m) => resolve(m as Measurement));
    child.once("error", reject);
    child.once("exit", (code) => code !== 0 && reject(new Error(`${engine} exited with ${code}`)));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : `${(n / 1e3).toFixed(0)} k`);

async function main(): Promise<void> {
  console.log(`earning set: ${earningRules.length} rules, ${EVENTS.toLocaleString()} events, ${N.toLocaleString()} evaluations per engine, ${ROUNDS} rounds (fresh process each)`);
  const results = new Map<EngineName, Measurement[]>(ENGINES.map((e) => [e, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const engine of ENGINES) results.get(engine)!.push(await runChild(engine));
  }

  const checksums = new Set([...results.values()].flat().map((m) => m.checksum));
  const rate = (e: EngineName) => median(results.get(e)!.map((m) => m.evalsPerSecond));
  const base = rate("json-logic-js");
  const hand = rate("hand-written");
  console.log(`\n${"engine".padEnd(14)} ${"evals/s (median)".padStart(17)} ${"range".padStart(19)} ${"x json-logic-js".padStart(16)} ${"hand ÷ engine".padStart(14)}`);
  for (const engine of ENGINES) {
    const rates = results.get(engine)!.map((m) => m.evalsPerSecond);
    const range = `${fmt(Math.min(...rates))}–${fmt(Math.max(...rates))}`;
    console.log(
      `${engine.padEnd(14)} ${fmt(rate(engine)).padStart(17)} ${range.padStart(19)} ${(rate(engine) / base).toFixed(1).padStart(16)} ${(hand / rate(engine)).toFixed(1).padStart(14)}`,
    );
  }
  const checksum = [...checksums][0];
  console.log(`\nchecksum: ${checksums.size === 1 ? `${checksum} (identical for all engines)` : `MISMATCH ${[...checksums].join(" ")}`}`);
  const ratio = rate("compiled") / base;
  console.log(`target evaluator-vs-json-logic-js: ${ratio.toFixed(1)}x (goal >= 10x) ${ratio >= 10 && checksums.size === 1 ? "PASS" : "MISS"}`);
  if (checksums.size !== 1) process.exitCode = 1;
}

if (process.argv[2] === "--engine") {
  const result = measure(process.argv[3] as EngineName);
  if (process.send) process.send(result);
  else console.log(result); // run by hand, e.g. under --cpu-prof
} else {
  await main();
}
