/**
 * The end of a failed end-to-end run, in brief: each failed test with the first lines of its error, read from
 * Playwright's JSON report. CI shows only the tail of the output, where the list reporter has the titles alone.
 */
import fs from "node:fs";

interface JsonSpec { title: string; file: string; line: number; tests: { results: { status: string; error?: { message?: string } }[] }[] }
interface JsonSuite { suites?: JsonSuite[]; specs?: JsonSpec[] }

const ANSI = new RegExp(String.fromCharCode(27) + "\\[[0-9;]*m", "g");

function* specsOf(suite: JsonSuite): Generator<JsonSpec> {
  for (const spec of suite.specs ?? []) yield spec;
  for (const child of suite.suites ?? []) yield* specsOf(child);
}

export function e2eFailureSummary(reportFile: string, linesPerError = 10): string | null {
  if (!fs.existsSync(reportFile)) return null;
  const report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as JsonSuite;
  const out: string[] = [];
  for (const spec of specsOf(report)) {
    for (const test of spec.tests) {
      const failed = test.results.find((result) => result.status !== "passed" && result.status !== "skipped");
      if (!failed) continue;
      const message = (failed.error?.message ?? failed.status).replace(ANSI, "").split("\n").filter((line) => line.trim());
      out.push(`✘ ${spec.file}:${spec.line} ${spec.title}`, ...message.slice(0, linesPerError).map((line) => `    ${line}`));
    }
  }
  return out.length ? out.join("\n") : null;
}
