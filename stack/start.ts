/** `npm start`: the whole product with demo data, or only the app when pointed at hosted Supabase. */
import { config } from "./config.ts";
import { startHosted } from "./hosted.ts";
import { seedDemoRedemptions } from "./seed-demo-redemptions.ts";
import { startStack } from "./stack.ts";
import pg from "pg";

const args = new Set(process.argv.slice(2));
const hosted = Boolean(process.env.SUPABASE_URL && process.env.SUPABASE_ANON_KEY);

async function main() {
  if (hosted) return startHosted({ verbose: args.has("--verbose") });
  const started = Date.now();
  const stack = await startStack({ app: !args.has("--no-app"), verbose: args.has("--verbose") });
  console.log(`
Local stack is up in ${((Date.now() - started) / 1000).toFixed(1)}s
  App:          ${stack.appUrl ?? "(not started: --no-app)"}
  API URL:      ${stack.gatewayUrl}
  Mail inbox:   ${stack.mailInboxUrl ?? "(no mail catcher: MAIL_CATCHER=false)"}
  DB URL:       ${stack.databaseUrl}
  JWT secret:   ${config.jwtSecret}
  anon key:     ${stack.keys.anonKey}
  service_role: ${stack.keys.serviceRoleKey}
Demo logins (password demo123456): admin@demo.test staff@demo.test hotel.staff@demo.test manager@demo.test mall.manager@demo.test director@demo.test analyst@demo.test marketing@demo.test finance@demo.test mall.finance@demo.test
Ctrl-C stops everything.`);
  if (stack.seeded) {
    // After the engine has earned the demo history: not part of `npm test`, whose tests count the seeded ledger.
    seedDemoRedemptions(stack.databaseUrl, (line) => console.log(line)).catch((error: Error) =>
      console.error(`demo redemptions failed: ${error.message}`));
  }
  // The expiry reminders due today at once (the cron runs them at 09:00 China time; a rerun adds nothing), so the
  // mail catcher's inbox shows the 7/3/1-day reminders of the demo members with an e-mail address.
  void queueReminders(stack.databaseUrl).catch((error: Error) => console.error(`queueing reminders failed: ${error.message}`));
  const shutdown = async (code: number) => {
    await stack.stop();
    process.exit(code);
  };
  process.once("SIGINT", () => void shutdown(0));
  process.once("SIGTERM", () => void shutdown(0));
  const message = await stack.died;
  console.error(`\n${message}\nStopping the other parts.`);
  await shutdown(1);
}

async function queueReminders(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "start-reminders" });
  await client.connect();
  try {
    await client.query("select graphile_worker.add_job('send_reminders', '{}'::json, job_key => 'start:send_reminders')");
  } finally {
    await client.end();
  }
}

main().catch((error: Error) => {
  console.error(`\nCould not start: ${error.message}`);
  process.exit(1);
});
