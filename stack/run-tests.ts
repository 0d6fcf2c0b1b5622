/**
 * `npm test`: type-check and lint, then unit + database tests (vitest) and end-to-end tests
 * (Playwright in Debian's Chromium), all against the same local stack `npm start` runs. Reuses a
 * stack that is already running; otherwise starts one and stops it afterwards.
 */
import { spawn } from "node:child_process";
import { apiKeys, appUrl, gatewayUrl, superuserUrl } from "./config.ts";
import { startStack, type RunningStack } from "./stack.ts";

function run(command: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<number>((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

async function stackIsUp() {
  try {
    const { anonKey } = await apiKeys();
    const [api, app] = await Promise.all([
      fetch(`${gatewayUrl()}/rest/v1/`, { headers: { apikey: anonKey } }),
      fetch(appUrl()),
    ]);
    return api.ok && app.ok;
  } catch {
    return false;
  }
}

async function main() {
  const only = process.argv[2];
  const steps: [string, string, string[]][] = [
    ["typecheck", "npx", ["tsc", "--noEmit"]],
    ["lint", "npx", ["eslint", "."]],
    ["unit + database", "npx", ["vitest", "run"]],
    ["end-to-end", "npx", ["playwright", "test"]],
  ];
  let stack: RunningStack | undefined;
  if (await stackIsUp()) {
    console.log("Using the local stack that is already running.");
  } else {
    console.log("Starting the local stack for the tests...");
    stack = await startStack({ app: true });
  }
  const { anonKey, serviceRoleKey } = await apiKeys();
  const env = {
    TEST_DATABASE_URL: superuserUrl(),
    SUPABASE_TEST_URL: gatewayUrl(),
    ANON_KEY: anonKey,
    SERVICE_ROLE_KEY: serviceRoleKey,
    APP_URL: appUrl(),
  };
  const failed: string[] = [];
  for (const [name, command, args] of steps) {
    if (only && !name.includes(only)) continue;
    console.log(`\n── ${name} ──`);
    if ((await run(command, args, env)) !== 0) failed.push(name);
  }
  await stack?.stop();
  console.log(failed.length ? `\nFAILED: ${failed.join(", ")}` : "\nAll test steps passed.");
  process.exit(failed.length ? 1 : 0);
}

main().catch(async (error: Error) => {
  console.error(`npm test could not run: ${error.message}`);
  process.exit(1);
});
