/**
 * What-if benchmark (npx tsx bench/rules/what-if.ts): a draft earning rule simulated over 1,000,000
 * transactions of the last 30 days, through the real path (a what_if_runs row run by the engine's job:
 * server-side cursor, batches of 20,000 rows, progress updates), in its OWN embedded Postgres 17 (temporary
 * data directory, free port from 55540). Also reports the pure computation alone (rows already in memory).
 * Ends with `target what_if_1m: <seconds> s (goal < 10) PASS|MISS`.
 *
 * Environment: BENCH_TXNS (default 1000000), BENCH_MEMBERS (default 20000), BENCH_PORT, BENCH_KEEP=1.
 */
import os from "node:os";
import pg from "pg";
import { RuleBook, type RuleRecord, type RuleSetRecord } from "../../core/evaluation/index.ts";
import { WhatIfSimulation, type WhatIfMember, type WhatIfRow } from "../../engine/what-if.ts";
import { runWhatIfJob } from "../../engine/what-if-job.ts";
import { addMembers, startBenchPostgres } from "./end-to-end.ts";

const env = process.env;
const TXNS = Number(env.BENCH_TXNS ?? 1_000_000);
const MEMBERS = Number(env.BENCH_MEMBERS ?? 20_000);
const GOAL_SECONDS = 10;
const log = (line = "") => console.log(line);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** The draft: shopping points with richer multipliers for the upper tiers, and a 3x hotel campaign. */
const DRAFT = {
  floor: [{
    "*": [
      { var: "transaction.amount" },
      { if: [
        { "==": [{ var: "member.tier" }, "diamond"] }, 3,
        { "==": [{ var: "member.tier" }, "gold"] }, 2,
        { "==": [{ var: "member.tier" }, "silver"] }, 1.5,
        1,
      ] },
    ],
  }],
};

async function main() {
  log(`what-if bench: ${fmt(TXNS)} transactions over 30 days, ${fmt(MEMBERS)} members; draft shopping-base v2 against the seeded rules`);
  const server = await startBenchPostgres("rules-whatif-bench", 55540, { worker: false });
  log(`  Postgres on port ${server.port}, data in ${server.dataDir}; ${os.cpus().length} CPUs, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM`);
  const db = new pg.Client({ connectionString: server.url });
  await db.connect();
  const pool = new pg.Pool({ connectionString: server.url, max: 4 });
  let failed = false;
  try {
    const members = await addMembers(db, MEMBERS);
    let t = performance.now();
    await db.query(
      `insert into public.transactions (business_unit_id, order_no, member_id, amount, channel, occurred_at)
       select (array[$3::uuid, $4::uuid, $5::uuid, $6::uuid])[1 + g % 4], 'WI-' || g,
              ($1::uuid[])[1 + (g::bigint * 7919) % cardinality($1::uuid[])],
              (10 + (g::bigint * 104729) % 300000 / 100.0)::numeric(12, 2),
              (array['pos', 'app', 'mini_program', 'front_desk'])[1 + g % 4],
              now() - make_interval(secs => (g * 2.591) % 2592000)
       from generate_series(1, $2::int) g`,
      [members, TXNS, ...(await db.query("select id from public.business_units order by code")).rows.map((r) => r.id)],
    );
    // What was issued: the seeded rules' shopping points, one lot valid 365 days (a stand-in for the engine's work).
    await db.query(
      `insert into public.transaction_earnings (transaction_id, member_id, business_unit_id, points, outcome, lots, expires_at)
       select t.id, t.member_id, t.business_unit_id, p.points, 'earned', '[]', t.occurred_at + interval '365 days'
       from public.transactions t join public.members m on m.id = t.member_id join public.tiers ti on ti.id = m.tier_id
       cross join lateral (select floor(t.amount * case ti.code when 'diamond' then 2 when 'gold' then 1.5 when 'silver' then 1.2 else 1 end)::int as points) p
       where t.order_no like 'WI-%' and p.points > 0`,
    );
    await db.query("vacuum analyze");
    log(`  loaded ${fmt(TXNS)} transactions and their earnings in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await db.query(
      `insert into public.rules (key, version, kind, name, logic, lot_kind, priority)
       values ('shopping-base', 2, 'earning', 'draft: richer tier multipliers', $1, 'shopping', 100)`,
      [JSON.stringify(DRAFT)],
    );

    // ── The real path: a what_if_runs row run by the engine's job ─────────────────────────────────
    const run = (await db.query("insert into public.what_if_runs (rule_keys, days) values ('{shopping-base}', 30) returning id")).rows[0].id;
    t = performance.now();
    await runWhatIfJob(pool, run, { databaseUrl: server.url });
    const seconds = (performance.now() - t) / 1000;
    const row = (await db.query("select status, progress, result, error from public.what_if_runs where id = $1", [run])).rows[0];
    if (row.status !== "done") throw new Error(`what-if run ${row.status}: ${row.error}`);
    const r = row.result;
    log(`  what_if job: ${fmt(r.transactions)} transactions in ${seconds.toFixed(2)} s = ${fmt(r.transactions / seconds)} transactions/s ` +
      `(status ${row.status}, progress ${row.progress})`);
    log(`    rule problems met: ${r.errors.length}`);
    log(`    ${r.timing.threads} thread(s); summed over them: ${r.timing.wait_ms} ms waiting for rows, ${r.timing.compute_ms} ms computing; ${r.timing.prepare_ms} ms before the first row`);
    log(`  rules in force ${fmt(r.totals.baseline)} points, with the draft ${fmt(r.totals.simulated)} (${r.totals.delta >= 0 ? "+" : ""}${fmt(r.totals.delta)}); ` +
      `outstanding liability ${r.totals.liability_delta >= 0 ? "+" : ""}${fmt(r.totals.liability_delta)} points; ${r.by_unit_tier.length} unit x tier cells`);
    for (const c of r.by_unit_tier.slice(0, 4)) {
      log(`    ${c.business_unit.padEnd(9)} ${c.tier.padEnd(9)} ${fmt(c.transactions).padStart(8)} txns  in force ${fmt(c.baseline).padStart(11)}  simulated ${fmt(c.simulated).padStart(11)}`);
    }
    const ok = r.transactions === TXNS + 600 || r.transactions >= TXNS; // plus the demo seed's recent purchases
    if (!ok) {
      failed = true;
      log(`  INCONSISTENT: simulated ${r.transactions} transactions, expected at least ${TXNS}`);
    }

    // ── The pure computation alone, rows in memory ─────────────────────────────────────────────
    const rules = (await db.query("select * from public.rules where status = 'published' and key <> 'shopping-base' or (key = 'shopping-base' and version = 2)")).rows as RuleRecord[];
    const sets = (await db.query("select kind, business_unit_id, combination from public.rule_sets")).rows as RuleSetRecord[];
    const ladder = { tierLadder: ["standard", "silver", "gold", "diamond"] };
    const book = new RuleBook(rules, sets, ladder);
    const baseline = new RuleBook((await db.query("select * from public.rules where status = 'published'")).rows as RuleRecord[], sets, ladder);
    const units = new Map((await db.query("select id, code, kind from public.business_units")).rows.map((u) => [u.id, u]));
    const memberMap = new Map<string, WhatIfMember>((await db.query(
      "select m.id, t.code as tier, m.birthday::text as birthday from public.members m join public.tiers t on t.id = m.tier_id",
    )).rows.map((m) => [m.id, { tier: m.tier, tags: [], birthday: m.birthday, growth_value: 0, joined_at: "2024-01-01T00:00:00.000Z" }]));
    const unitIds = [...units.keys()];
    const now = Date.now();
    const rows: WhatIfRow[] = Array.from({ length: TXNS }, (_, g) => ({
      member_id: members[(g * 7919) % members.length], business_unit_id: unitIds[g % unitIds.length],
      amount: 10 + ((g * 104729) % 300000) / 100, channel: "pos", occurred_ms: now - ((g * 2591) % 2_592_000_000), issued: 100, issued_live: 100,
    }));
    t = performance.now();
    const sim = new WhatIfSimulation(book, baseline, units, memberMap, now);
    for (let i = 0; i < rows.length; i += 20_000) sim.add(rows.slice(i, i + 20_000));
    const pureSeconds = (performance.now() - t) / 1000;
    log(`  pure computation (rows in memory): ${fmt(TXNS)} in ${pureSeconds.toFixed(2)} s = ${fmt(TXNS / pureSeconds)} transactions/s`);

    log("");
    log(`target what_if_1m: ${seconds.toFixed(2)} s (goal < ${GOAL_SECONDS}) ${seconds < GOAL_SECONDS && TXNS >= 1_000_000 ? "PASS" : "MISS"}`);
  } catch (error) {
    failed = true;
    console.error(`bench failed: ${(error as Error).stack ?? error}`);
  } finally {
    await pool.end().catch(() => undefined);
    await db.end().catch(() => undefined);
    await server.stop();
  }
  process.exit(failed ? 1 : 0);
}

await main();
