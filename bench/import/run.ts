/**
 * Import benchmark (npm run bench:import / npx tsx bench/import/run.ts).
 *
 * Starts the local stack (no app, no engine work involved) in a child process on its own ports
 * (BENCH_IMPORT_PORT_BASE, default 56800: gateway +1, db +2, PostgREST +4, auth +5) with a fresh data folder,
 * signs in as the demo mall staff user, and imports BENCH_IMPORT_ROWS members (default 100,000) two ways in the
 * same run:
 *   - through the product's path: the rows are checked by core/import (as the wizard's worker does), then sent
 *     in batches of IMPORT_SEND_ROWS (core/import) to public.import_batch through the gateway with the staff JWT
 *     (BENCH_IMPORT_CONNS batches in flight, default 2: the wizard sends one at a time per tab);
 *   - a plain COPY of the same rows (same names, e-mails, genders, birthdays, tags and unit; other phone
 *     numbers, since a phone is unique) into public.members as the superuser: the same table, the same
 *     triggers (form check, entry tier, balance row, audit), no per-row claim, subtransaction or round trip.
 * Prints rows/s of each and their ratio, and ends with one target line (at least 0.3x).
 */
import http from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { autoMap, batches, IMPORT_SEND_ROWS, importTargets, prepareRows, targetFields } from "../../core/import/index.ts";
import { ROOT } from "../../stack/root.ts";
import { HOST, request as httpRequest, startBenchStack } from "../bench-stack.ts";

const env = process.env;
const BASE = Number(env.BENCH_IMPORT_PORT_BASE ?? 56800);
const ROWS = Number(env.BENCH_IMPORT_ROWS ?? 100_000);
const CONNS = Number(env.BENCH_IMPORT_CONNS ?? 2);
const TARGET_RATIO = 0.3;
const DATA_DIR = path.join(ROOT, ".local", "bench-import-postgres");
const PORTS = { gateway: BASE + 1, db: BASE + 2, rest: BASE + 4, auth: BASE + 5 };


const agent = new http.Agent({ keepAlive: true, maxSockets: CONNS });


/** The file's rows: the same people twice over, with phones from two disjoint ranges. */
function fileRows(prefix: string): string[][] {
  return Array.from({ length: ROWS }, (_, i) => [
    `导入会员${i}`, `${prefix}${String(i).padStart(7, "0")}`, `bench${i}@example.com`, i % 2 ? "female" : "male",
    `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`, "导入,批量",
  ]);
}
const HEADERS = ["姓名", "手机号", "邮箱", "性别", "生日", "标签"];

const csvField = (value: string) => (/[",\n\\]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

async function main() {
  console.log(`bench:import: ${ROWS.toLocaleString("en")} members, stack on ports ${BASE}+`);
  const stack = await startBenchStack(BASE, DATA_DIR);
  const { anonKey } = stack;
  const request = (method: string, urlPath: string, headers: Record<string, string>, body?: string) =>
    httpRequest(agent, PORTS.gateway, method, urlPath, headers, body);
  const db = new pg.Client({ connectionString: `postgres://postgres:postgres@${HOST}:${PORTS.db}/postgres` });
  try {
    await db.connect();
    const signIn = await request("POST", "/auth/v1/token?grant_type=password", { apikey: anonKey, "content-type": "application/json" },
      JSON.stringify({ email: "staff@demo.test", password: "demo123456" }));
    if (signIn.status !== 200) throw new Error(`staff sign-in failed: ${signIn.status} ${signIn.body}`);
    const token = JSON.parse(signIn.body).access_token as string;
    const headers = { apikey: anonKey, authorization: `Bearer ${token}`, "content-type": "application/json" };
    const mall = (await db.query("select id from business_units where code = 'mall'")).rows[0].id as string;
    const forms = (await db.query("select key, schema from form_definitions where status = 'published'")).rows;
    const members = importTargets(forms, []).find((t) => t.key === "members")!;

    // ── The product's path ──
    const started = performance.now();
    const prepared = prepareRows(members, fileRows("1770"), autoMap(HEADERS, targetFields(members)));
    const checked = performance.now();
    if (prepared.errors.length > 0) throw new Error(`unexpected row faults: ${JSON.stringify(prepared.errors.slice(0, 3))}`);
    const created = await request("POST", "/rest/v1/rpc/create_import", headers, JSON.stringify({
      p_target: "members", p_business_unit_id: mall, p_file_name: "bench.csv", p_total_rows: ROWS, p_idempotency_key: `bench-${Date.now()}`,
    }));
    if (created.status !== 200) throw new Error(`create_import: ${created.status} ${created.body}`);
    const importId = JSON.parse(created.body).id as string;
    const queue = batches(prepared.rows, IMPORT_SEND_ROWS);
    let inserted = 0;
    await Promise.all(Array.from({ length: CONNS }, async () => {
      for (let batch = queue.shift(); batch; batch = queue.shift()) {
        const res = await request("POST", "/rest/v1/rpc/import_batch", headers, JSON.stringify({ p_import_id: importId, p_rows: batch }));
        if (res.status !== 200) throw new Error(`import_batch: ${res.status} ${res.body.slice(0, 500)}`);
        inserted += JSON.parse(res.body).inserted as number;
      }
    }));
    const productSeconds = (performance.now() - started) / 1000;
    if (inserted !== ROWS) throw new Error(`imported ${inserted} of ${ROWS}`);

    // ── A plain COPY of the same rows into the same table ──
    const copyRows = fileRows("1780");
    const copyStarted = performance.now();
    await db.query("select set_config('app.reason', 'bench:import copy', false)");
    const stream = db.query(copyFrom("copy public.members (name, phone, email, gender, birthday, tags, home_business_unit_id) from stdin with (format csv)"));
    const lines = copyRows.map(([name, phone, email, gender, birthday, tags]) =>
      [name, phone, email, gender, birthday, `{${tags}}`, mall].map(csvField).join(",") + "\n");
    await pipeline(Readable.from(lines), stream);
    const copySeconds = (performance.now() - copyStarted) / 1000;
    const copied = Number((await db.query("select count(*) from members where phone like '1780%'")).rows[0].count);
    if (copied !== ROWS) throw new Error(`copied ${copied} of ${ROWS}`);

    const productRate = ROWS / productSeconds;
    const copyRate = ROWS / copySeconds;
    const ratio = productRate / copyRate;
    console.log("");
    console.log(`  product path (check ${((checked - started) / 1000).toFixed(1)} s + import_batch via the gateway, ${CONNS} in flight): ` +
      `${productSeconds.toFixed(1)} s, ${Math.round(productRate).toLocaleString("en")} rows/s`);
    console.log(`  plain COPY into public.members (same triggers):  ${copySeconds.toFixed(1)} s, ${Math.round(copyRate).toLocaleString("en")} rows/s`);
    console.log(`  ratio product / COPY: ${ratio.toFixed(2)}x`);
    console.log("");
    console.log(`target import of ${ROWS.toLocaleString("en")} members at least ${TARGET_RATIO}x a plain COPY: ${ratio >= TARGET_RATIO ? "met" : "not met"} (${ratio.toFixed(2)}x)`);
  } finally {
    await db.end().catch(() => undefined);
    await stack.stop(Boolean(env.BENCH_KEEP));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
