/**
 * API benchmark (npm run bench:api / npx tsx bench/api/run.ts).
 *
 * Starts the local stack (no app) in a child process on its own ports (BENCH_API_PORT_BASE, default
 * 56700: gateway +1, db +2, PostgREST +4, auth +5) with a fresh data folder, signs in as the demo staff
 * user, and at BENCH_API_CONNS connections (default 8) measures, interleaved in 1-second slices:
 *   - a points posting (record_transaction on a seeded mall member) through the gateway, straight to
 *     PostgREST, and in SQL with the same role and JWT claims (set_config('request.jwt.claims')) in one
 *     transaction per posting, one round trip each;
 *   - a member list page (20 members) through the gateway and straight to PostgREST;
 * then the latency of an unrelated read while 40 sign-ins with wrong passwords run.
 * Ends with one `target …: met|not met` line per goal. BENCH_SECONDS: seconds per variant (default 6).
 */
import http from "node:http";
import path from "node:path";
import pg from "pg";
import { ROOT } from "../../stack/root.ts";
import { request as httpRequest, startBenchStack } from "../bench-stack.ts";

const env = process.env;
const BASE = Number(env.BENCH_API_PORT_BASE ?? 56700);
const CONNS = Number(env.BENCH_API_CONNS ?? 8);
const SECONDS = Number(env.BENCH_SECONDS ?? 6);
const SLICE_MS = 1000;
const DATA_DIR = path.join(ROOT, ".local", "bench-api-postgres");


const agent = new http.Agent({ keepAlive: true, maxSockets: CONNS * 2 });
/** The unrelated read has its own connection, so it never queues behind the sign-ins in this client. */
const readAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });


type Op = () => Promise<void>;

/** Runs CONNS loops of op for ms milliseconds; returns completed operations. */
async function slice(op: Op, ms: number) {
  const until = Date.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONNS }, async () => {
      while (Date.now() < until) {
        await op();
        done++;
      }
    }),
  );
  return done;
}

async function measure(variants: Record<string, Op>) {
  const totals = Object.fromEntries(Object.keys(variants).map((name) => [name, { ops: 0, ms: 0 }]));
  const names = Object.keys(variants);
  for (const name of names) await slice(variants[name], 300); // warm-up
  for (let round = 0; round < SECONDS; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length];
      const started = performance.now();
      const ops = await slice(variants[name], SLICE_MS);
      totals[name].ops += ops;
      totals[name].ms += performance.now() - started;
    }
  }
  return Object.fromEntries(Object.entries(totals).map(([name, t]) => [name, (t.ops / t.ms) * 1000]));
}

function check(ok: boolean, label: string, detail: string) {
  console.log(`target ${label}: ${ok ? "met" : "not met"} (${detail})`);
}

async function main() {
  console.log(`Starting the stack on ports ${BASE + 1}-${BASE + 5} (fresh data in ${path.relative(ROOT, DATA_DIR)})...`);
  const stack = await startBenchStack(BASE, DATA_DIR);
  const { anonKey, ports: PORTS, superuserUrl: superuser } = stack;
  console.log(`Gateway: ${stack.gateway}`);
  const request = (port: number, method: string, urlPath: string, headers: Record<string, string>, body?: string, via = agent) =>
    httpRequest(via, port, method, urlPath, headers, body);
  const db = new pg.Client({ connectionString: superuser });
  try {
    await db.connect();
    const signIn = await request(PORTS.gateway, "POST", "/auth/v1/token?grant_type=password", { apikey: anonKey, "content-type": "application/json" },
      JSON.stringify({ email: "staff@demo.test", password: "demo123456" }));
    if (signIn.status !== 200) throw new Error(`staff sign-in failed: ${signIn.status} ${signIn.body}`);
    const token = JSON.parse(signIn.body).access_token as string;
    const claims = Buffer.from(token.split(".")[1], "base64url").toString();
    // One member per posting in turn: postings of one member queue on its row lock.
    const { rows } = await db.query<{ member: string; unit: string }>(
      `select m.id as member, b.id as unit from members m, business_units b
       where b.code = 'mall' and m.status = 'active' order by m.member_no limit 64`,
    );
    const unit = rows[0].unit;
    let turn = 0;
    const nextMember = () => rows[turn++ % rows.length].member;
    let order = 0;
    const orderNo = (kind: string) => `bench-${kind}-${process.pid}-${++order}`;
    const posting = (kind: string) => JSON.stringify({ p_member_id: nextMember(), p_business_unit_id: unit, p_order_no: orderNo(kind), p_amount: 88 });
    const restHeaders = { authorization: `Bearer ${token}`, "content-type": "application/json", prefer: "return=minimal" };
    const gatewayHeaders = { ...restHeaders, apikey: anonKey };
    const ok = (kind: string) => (res: { status: number; body: string }) => {
      if (res.status >= 300) throw new Error(`${kind}: ${res.status} ${res.body.slice(0, 300)}`);
    };
    const pool = new pg.Pool({ connectionString: superuser, max: CONNS });
    const sqlPosting = async () => {
      const client = await pool.connect();
      try {
        const lit = (value: string) => client.escapeLiteral(value);
        await client.query(
          `begin; set local role authenticated; select set_config('request.jwt.claims', ${lit(claims)}, true);
           select public.record_transaction(${lit(nextMember())}::uuid, ${lit(unit)}::uuid, ${lit(orderNo("sql"))}, 88); commit;`,
        );
      } finally {
        client.release();
      }
    };

    const postings = await measure({
      gateway: async () => ok("gateway")(await request(PORTS.gateway, "POST", "/rest/v1/rpc/record_transaction", gatewayHeaders, posting("gw"))),
      postgrest: async () => ok("postgrest")(await request(PORTS.rest, "POST", "/rpc/record_transaction", restHeaders, posting("pr"))),
      sql: sqlPosting,
    });
    const list = "/members?select=id,member_no,name,phone,status,tier_id,created_at&order=created_at.desc&limit=20";
    const lists = await measure({
      gateway: async () => ok("gateway list")(await request(PORTS.gateway, "GET", `/rest/v1${list}`, { authorization: `Bearer ${token}`, apikey: anonKey })),
      postgrest: async () => ok("postgrest list")(await request(PORTS.rest, "GET", list, { authorization: `Bearer ${token}` })),
    });
    await pool.end();

    const read = async () => {
      const started = performance.now();
      ok("read")(await request(PORTS.gateway, "GET", "/rest/v1/tiers?select=code", { authorization: `Bearer ${token}`, apikey: anonKey }, undefined, readAgent));
      return performance.now() - started;
    };
    const quiet: number[] = [];
    for (let i = 0; i < 20; i++) quiet.push(await read());
    const logins = Array.from({ length: 40 }, (_, i) =>
      request(PORTS.gateway, "POST", "/auth/v1/token?grant_type=password", { apikey: anonKey, "content-type": "application/json" },
        JSON.stringify({ email: i % 2 ? "staff@demo.test" : `nobody-${i}@demo.test`, password: "wrong-password" })));
    await new Promise((r) => setTimeout(r, 20));
    const busy: number[] = [];
    const loginsDone = Promise.all(logins);
    let settled = false;
    void loginsDone.then(() => (settled = true));
    while (!settled) busy.push(await read());
    await loginsDone;

    const f = (n: number) => n.toFixed(0).padStart(6);
    console.log(`\nPoints posting (record_transaction), ${CONNS} connections, postings/s:`);
    console.log(`  gateway    ${f(postings.gateway)}`);
    console.log(`  PostgREST  ${f(postings.postgrest)}`);
    console.log(`  SQL        ${f(postings.sql)}`);
    console.log(`Member list (20 rows), ${CONNS} connections, requests/s:`);
    console.log(`  gateway    ${f(lists.gateway)}`);
    console.log(`  PostgREST  ${f(lists.postgrest)}`);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(`Unrelated read (GET /rest/v1/tiers) while 40 wrong-password sign-ins run:`);
    console.log(`  quiet median ${median(quiet).toFixed(1)} ms; during the sign-ins median ${median(busy).toFixed(1)} ms, worst ${Math.max(...busy).toFixed(1)} ms over ${busy.length} reads\n`);
    const gwRatio = postings.gateway / postings.postgrest;
    const sqlRatio = postings.gateway / postings.sql;
    check(gwRatio >= 0.95, "gateway >= 0.95x PostgREST (posting)", `${gwRatio.toFixed(2)}x`);
    check(sqlRatio >= 0.4, "posting through the gateway >= 0.4x SQL", `${sqlRatio.toFixed(2)}x`);
    check(lists.gateway / lists.postgrest >= 0.95, "gateway >= 0.95x PostgREST (member list)", `${(lists.gateway / lists.postgrest).toFixed(2)}x`);
  } finally {
    await db.end().catch(() => {});
    agent.destroy();
    readAgent.destroy();
    await stack.stop();
  }
}

main().catch((error: Error) => {
  console.error(`bench:api failed: ${error.message}`);
  process.exitCode = 1;
});
