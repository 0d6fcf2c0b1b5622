/**
 * Dashboard benchmark (npm run bench:dashboards).
 *
 * Starts the local stack (no app) in a child process on its own ports (BENCH_DASH_PORT_BASE, default
 * 56800: gateway +1, db +2, PostgREST +4, auth +5) with a fresh data folder, generates a ledger of
 * BENCH_DASH_ENTRIES entries (default 10,000,000) over 365 days with set-based SQL (generate.sql: members,
 * tier history, purchases, lots and lot moves consistent with each other), rebuilds the rollups, then:
 *   - every metric of the registry (core/metrics) as a widget asks it: 365 days by month and points_flow
 *     also by day, through PostgREST with a signed-in analyst's JWT, BENCH_DASH_RUNS runs each (default
 *     20): median and p95;
 *   - next to it, in the same run, the plain GROUP BY over the raw ledger that answers points_flow by day
 *     (3 runs, median);
 *   - earn_points throughput at BENCH_DASH_CONNS connections (default 8) with the rollup trigger and with
 *     it disabled, interleaved in BENCH_DASH_SLICE_SECONDS slices (default 5) for BENCH_DASH_ROUNDS rounds
 *     (default 3).
 * BENCH_DASH_REUSE=1 measures again on the data folder of the last run, without generating.
 * Ends with one `target <name>: <measured> <unit> (goal <goal>) PASS|MISS` line per target.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import pg from "pg";
import { METRIC_MODULES } from "../../core/metrics/index.ts";
import { ROOT } from "../../stack/root.ts";
import { rebuildRollups } from "../../stack/rebuild-rollups.ts";
import { HOST, request as httpRequest, startBenchStack } from "../bench-stack.ts";

const env = process.env;
const BASE = Number(env.BENCH_DASH_PORT_BASE ?? 56800);
const ENTRIES = Number(env.BENCH_DASH_ENTRIES ?? 10_000_000);
const RUNS = Number(env.BENCH_DASH_RUNS ?? 20);
const CONNS = Number(env.BENCH_DASH_CONNS ?? 8);
const SLICE_S = Number(env.BENCH_DASH_SLICE_SECONDS ?? 5);
const ROUNDS = Number(env.BENCH_DASH_ROUNDS ?? 3);
const WIDGET_GOAL_MS = 200;
const EARN_GOAL_RATIO = 0.85;
const DATA_DIR = path.join(ROOT, ".local", "bench-dashboards-postgres");
const PORTS = { gateway: BASE + 1, db: BASE + 2, rest: BASE + 4, auth: BASE + 5 };
const DB_URL = `postgres://postgres:postgres@${HOST}:${PORTS.db}/postgres`;

/** BENCH_DASH_REUSE=1 keeps the data folder of the last run and its generated ledger (no generation, no rebuild). */
const REUSE = env.BENCH_DASH_REUSE === "1" && fs.existsSync(DATA_DIR);

const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
const request = (port: number, method: string, urlPath: string, headers: Record<string, string>, body?: string) =>
  httpRequest(agent, port, method, urlPath, headers, body);

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};
const ms = (n: number) => n.toFixed(1);
const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const result = await fn();
  return [performance.now() - t, result];
}

/** Earns per second at CONNS connections for SLICE_S seconds (random bench members and units). */
async function earnSlice(clients: pg.Client[], members: string[], units: string[], tag: string) {
  let done = 0;
  const until = Date.now() + SLICE_S * 1000;
  await Promise.all(clients.map(async (c, lane) => {
    let i = 0;
    while (Date.now() < until) {
      const k = `bench-earn:${tag}:${lane}:${i++}:${Math.random().toString(36).slice(2)}`;
      await c.query("select earn_points($1, $2, $3, $4)", [members[(lane * 7919 + i * 104729) % members.length], units[i % units.length], 100, k]);
      done++;
    }
  }));
  return done / SLICE_S;
}

async function main() {
  console.log(`bench:dashboards — ${ENTRIES.toLocaleString("en")} ledger entries over 365 days, ${RUNS} runs per widget, earn at ${CONNS} connections`);
  const stack = await startBenchStack(BASE, DATA_DIR, { reuse: REUSE });
  const { anonKey } = stack;
  console.log(`Gateway: ${stack.gateway}`);
  const db = new pg.Client({ connectionString: DB_URL });
  try {
    await db.connect();
    if (REUSE) {
      const entries = Number((await db.query("select count(*)::bigint as n from ledger_entries")).rows[0].n);
      const folded = (await db.query("select private.fold_rollups() as r")).rows[0].r;
      console.log(`reused the last run's data: ${entries.toLocaleString("en")} entries (deltas folded: ${JSON.stringify(folded)})`);
    } else {
      const sql = fs.readFileSync(path.join(ROOT, "bench", "dashboards", "generate.sql"), "utf8").replaceAll(":entries", String(ENTRIES));
      const [genMs] = await timed(() => db.query(sql));
      const [vacMs] = await timed(() => db.query("vacuum analyze"));
      const counts = (await db.query(
        "select (select count(*) from ledger_entries)::bigint as entries, (select count(*) from point_lots)::bigint as lots, (select count(*) from transactions)::bigint as txns")).rows[0];
      console.log(`generated ${Number(counts.entries).toLocaleString("en")} entries, ${Number(counts.lots).toLocaleString("en")} lots, ` +
        `${Number(counts.txns).toLocaleString("en")} purchases in ${(genMs / 1000).toFixed(0)} s (vacuum analyze ${(vacMs / 1000).toFixed(0)} s)`);
      const [rebuildMs, rebuilt] = await timed(() => rebuildRollups(db));
      await db.query("vacuum analyze");
      console.log(`rollups rebuilt in ${(rebuildMs / 1000).toFixed(0)} s: ${JSON.stringify(rebuilt)}`);
    }

    const signIn = await request(PORTS.gateway, "POST", "/auth/v1/token?grant_type=password", { apikey: anonKey, "content-type": "application/json" },
      JSON.stringify({ email: "analyst@demo.test", password: "demo123456" }));
    if (signIn.status !== 200) throw new Error(`analyst sign-in failed: ${signIn.status} ${signIn.body}`);
    const token = JSON.parse(signIn.body).access_token as string;
    const today = (await db.query("select private.business_today()::text as d")).rows[0].d as string;
    const from = (await db.query("select (private.business_today() - 364)::text as d")).rows[0].d as string;

    const widgets = [
      ...METRIC_MODULES.map((m) => ({ name: `${m.key} (365 days by month)`, rpc: m.rpc, grain: "month" })),
      { name: "points_flow (365 days by day)", rpc: "metric_points_flow", grain: "day" },
    ];
    const results: { name: string; median: number; p95: number; rows: number; error?: boolean }[] = [];
    for (const w of widgets) {
      const body = JSON.stringify({ p_from: from, p_to: today, p_grain: w.grain });
      const call = async () => {
        const r = await request(PORTS.rest, "POST", `/rpc/${w.rpc}`, { authorization: `Bearer ${token}`, "content-type": "application/json" }, body);
        if (r.status !== 200) throw new Error(`${w.rpc}: ${r.status} ${r.body}`);
        return JSON.parse(r.body).length as number;
      };
      const times: number[] = [];
      let rows = 0;
      try {
        await call(); // warm-up
        for (let i = 0; i < RUNS; i++) {
          const [t, n] = await timed(call);
          times.push(t);
          rows = n;
        }
        results.push({ name: w.name, median: quantile(times, 0.5), p95: quantile(times, 0.95), rows });
      } catch (error) {
        // A widget that fails (e.g. the role's statement timeout) is a MISS, and the other widgets are still measured.
        console.log(`  ${w.name}: ${(error as Error).message}`);
        results.push({ name: w.name, median: NaN, p95: NaN, rows: 0, error: true });
      }
    }
    const raw: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [t] = await timed(() => db.query(
        `select (occurred_at at time zone 'Asia/Shanghai')::date as day, business_unit_id,
                sum(points) filter (where kind = 'earn') as issued, -sum(points) filter (where kind = 'redeem') as redeemed,
                -sum(points) filter (where kind = 'expire') as expired
         from ledger_entries where occurred_at >= $1::date - 1 group by 1, 2`, [from]));
      raw.push(t);
    }
    const rawMedian = quantile(raw, 0.5);
    console.log(`\nwidget query through PostgREST as analyst (ms)        median      p95   rows   raw GROUP BY ÷ median`);
    for (const r of results) {
      console.log(`  ${r.name.padEnd(50)} ${ms(r.median).padStart(8)} ${ms(r.p95).padStart(8)} ${String(r.rows).padStart(6)}   ${(rawMedian / r.median).toFixed(0)}x`);
    }
    console.log(`  plain GROUP BY on the raw ledger (points by day and unit, 3 runs) median ${ms(rawMedian)} ms`);

    // Earn with and without the rollup trigger, interleaved.
    const members = (await db.query("select id from members where member_no like 'B%' order by member_no limit 20000")).rows.map((r) => r.id as string);
    const units = (await db.query("select id from business_units where code like 'bench-%' order by code")).rows.map((r) => r.id as string);
    const clients = await Promise.all(Array.from({ length: CONNS }, async () => {
      const c = new pg.Client({ connectionString: DB_URL });
      await c.connect();
      return c;
    }));
    const withRollups: number[] = [];
    const without: number[] = [];
    try {
      await earnSlice(clients, members, units, "warm");
      for (let round = 0; round < ROUNDS; round++) {
        withRollups.push(await earnSlice(clients, members, units, `with${round}`));
        await db.query("alter table public.ledger_lot_moves disable trigger collect_rollup_delta");
        try {
          without.push(await earnSlice(clients, members, units, `without${round}`));
        } finally {
          await db.query("alter table public.ledger_lot_moves enable trigger collect_rollup_delta");
        }
      }
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    const w = quantile(withRollups, 0.5);
    const wo = quantile(without, 0.5);
    console.log(`\nearn_points at ${CONNS} connections (tx/s per ${SLICE_S}-second slice): with rollups ${withRollups.map((x) => x.toFixed(0)).join(", ")}; ` +
      `without ${without.map((x) => x.toFixed(0)).join(", ")}`);

    console.log("");
    for (const r of results) {
      const measured = r.error ? "failed" : `${ms(r.p95)} ms`;
      console.log(`target widget ${r.name.split(" ")[0]}${r.name.includes("by day") ? " by day" : ""} p95: ${measured} (goal ${WIDGET_GOAL_MS} ms) ${verdict(!r.error && r.p95 < WIDGET_GOAL_MS)}`);
    }
    console.log(`target earn with rollups / without: ${(w / wo).toFixed(2)} x (goal ${EARN_GOAL_RATIO} x) ${verdict(w / wo >= EARN_GOAL_RATIO)}`);
  } finally {
    await db.end().catch(() => {});
    // The data folder stays for BENCH_DASH_REUSE=1.
    await stack.stop(true);
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
