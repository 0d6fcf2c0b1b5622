/**
 * `npm test`: type-check and lint, then unit + database tests (vitest) and end-to-end tests
 * (Playwright in Debian's Chromium) against a stack of their own: own ports and a data folder created
 * fresh for each of the two steps and removed afterwards, so the demo data `npm start` keeps is never touched.
 *
 *   npm test                 every step
 *   npm test -- end-to-end   only the steps whose name contains the argument
 *   npm test -- end-to-end e2e/tiers.spec.ts   further arguments go to that step's runner
 *   TEST_PORT_BASE=56400     ports base+1 (gateway) … base+5 (auth); default 55420
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { e2eFailureSummary } from "./e2e-failure-summary.ts";
import { testStackEnv } from "./test-stack-env.ts";

function run(command: string, args: string[]) {
  return new Promise<number>((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env: process.env });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

/** Playwright's JSON report of the end-to-end step (playwright.config.ts writes it when this is set). */
const E2E_JSON_REPORT = path.resolve(`e2e-report${process.env.TEST_PORT_BASE ? `-${process.env.TEST_PORT_BASE}` : ""}.json`);

async function main() {
  const [only, ...extra] = process.argv.slice(2);
  const steps: [string, string, string[], boolean][] = [
    ["typecheck", "npx", ["tsc", "--noEmit"], false],
    ["lint", "npx", ["eslint", "."], false],
    ["unit + database", "npx", ["vitest", "run"], true],
    ["end-to-end", "npx", ["playwright", "test"], true],
  ];
  const chosen = steps.filter(([name]) => !only || name.includes(only));
  if (chosen.length === 0) throw new Error(`no test step matches "${only}"`);

  // config.ts reads the environment once, at import: set the test stack's ports and folder first.
  const stackEnv = testStackEnv();
  Object.assign(process.env, stackEnv, { PLAYWRIGHT_JSON_OUTPUT_NAME: E2E_JSON_REPORT });
  fs.rmSync(E2E_JSON_REPORT, { force: true });
  fs.rmSync(stackEnv.DATA_DIR, { recursive: true, force: true });
  const { apiKeys, appUrl, gatewayUrl, superuserUrl } = await import("./config.ts");
  const { startStack } = await import("./stack.ts");

  const failed: string[] = [];
  let stack: Awaited<ReturnType<typeof startStack>> | undefined;
  try {
    for (const [name, command, args, needsStack] of chosen) {
      // The end-to-end tests read the demo data as `npm start` seeds it; the database tests before them leave
      // requests, members and rules behind (a director's queue of a dozen open steps), so they get a fresh stack.
      if (needsStack && stack && name === "end-to-end") {
        await stack.stop();
        stack = undefined;
        fs.rmSync(stackEnv.DATA_DIR, { recursive: true, force: true });
      }
      if (needsStack && !stack) {
        console.log(`\nStarting a test stack (gateway ${gatewayUrl()}, data in ${path.relative(process.cwd(), stackEnv.DATA_DIR)})...`);
        stack = await startStack({ app: true, say: (line) => console.log(`  ${line}`) });
        const { anonKey, serviceRoleKey } = await apiKeys();
        Object.assign(process.env, {
          TEST_DATABASE_URL: superuserUrl(),
          SUPABASE_TEST_URL: gatewayUrl(),
          ANON_KEY: anonKey,
          SERVICE_ROLE_KEY: serviceRoleKey,
          APP_URL: appUrl(),
        });
      }
      console.log(`\n── ${name} ──`);
      if ((await run(command, only ? [...args, ...extra] : args)) !== 0) failed.push(name);
    }
  } finally {
    await stack?.stop();
    fs.rmSync(stackEnv.DATA_DIR, { recursive: true, force: true });
  }
  const e2eFailures = failed.includes("end-to-end") ? e2eFailureSummary(E2E_JSON_REPORT) : null;
  if (e2eFailures) console.log(`\nEnd-to-end failures in brief:\n${e2eFailures}`);
  console.log(failed.length ? `\nFAILED: ${failed.join(", ")}` : "\nAll test steps passed.");
  process.exit(failed.length ? 1 : 0);
}

main().catch((error: Error) => {
  console.error(`npm test could not run: ${error.message}`);
  process.exit(1);
});
