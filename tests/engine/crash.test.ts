/**
 * A worker killed (SIGKILL) in the middle of its work loses and doubles nothing: the jobs it had locked are
 * re-queued by another engine's catch-up sweep once they count as abandoned, and every transaction is
 * evaluated exactly once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEngine } from "../../engine/worker.ts";
import { databaseUrl, superuser } from "../db/stack-env.ts";
import { books, newMembers, publish, sleep, testEngine, testUnit, uniqueName, waitFor, retireTestUnits } from "./helpers.ts";

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), "child-engine.ts");
let db: pg.Client;
let child: ChildProcess | undefined;
let rescuer: RunningEngine | undefined;

beforeAll(async () => {
  db = await superuser();
});
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await rescuer?.stop();
  if (db) await retireTestUnits(db);
  await db?.end();
});

function startChild(): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", CHILD], {
      env: { ...process.env, DATABASE_URL: databaseUrl(), CONCURRENCY: "100" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    p.once("error", reject);
    p.once("exit", (code) => reject(new Error(`child engine exited early (${code})`)));
    p.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve(p);
    });
  });
}

describe("a killed worker", () => {
  it("restarted mid-run loses and doubles nothing", async () => {
    const TOTAL = 4000;
    const unit = await testUnit(db);
    const members = await newMembers(db, 100);
    await publish(db, { key: uniqueName("crash"), unit, logic: { floor: [{ var: "transaction.amount" }] } });
    child = await startChild();
    const prefix = `${uniqueName("K")}-`;
    for (let from = 0; from < TOTAL; from += 500) {
      await db.query(
        `insert into transactions (business_unit_id, order_no, member_id, amount)
         select $1, $2 || g, ($3::uuid[])[1 + g % cardinality($3::uuid[])], 10 + g % 900
         from generate_series($4::int, $5::int) g`,
        [unit, prefix, members, from, from + 499],
      );
    }
    const ids = (await db.query("select id from transactions where order_no like $1 || '%'", [prefix])).rows.map((r) => r.id);
    const evaluated = async () =>
      (await db.query("select count(*)::int as n from transaction_earnings where transaction_id = any($1::uuid[])", [ids])).rows[0].n as number;
    await waitFor("the workers to be busy with the batch", async () => (await evaluated()) >= 200, 60_000, 10);

    child.removeAllListeners("exit");
    child.kill("SIGKILL");
    const killedAt: Date = (await db.query("select now() as t")).rows[0].t;
    await new Promise((r) => (child!.exitCode !== null || child!.signalCode !== null ? r(null) : child!.once("exit", r)));
    const atKill = await evaluated();
    expect(atKill).toBeLessThan(TOTAL);

    // Jobs the dead worker had locked stay locked: graphile-worker alone would release them after 4 hours.
    await sleep(1500);
    const orphaned = (await db.query(
      `select count(*)::int as n from graphile_worker._private_jobs
       where key = any($1::text[]) and locked_at is not null and locked_at <= $2`,
      [ids.map((id) => `earn:${id}`), killedAt],
    )).rows[0].n;

    rescuer = await testEngine({ staleAfterSeconds: 2, sweepIntervalMs: 1000 });
    await waitFor("every transaction to be evaluated after the restart", async () => (await evaluated()) === TOTAL, 120_000, 200);

    const { rows } = await db.query(
      `select count(*)::int as evaluated,
              count(*) filter (where e.points <> floor(t.amount))::int as wrong,
              count(*) filter (where coalesce(l.n, 0) <> 1 or l.points <> e.points)::int as bad_entries
       from transactions t join transaction_earnings e on e.transaction_id = t.id
       left join (select transaction_id, count(*) as n, sum(points) as points from ledger_entries
                  where kind = 'earn' and transaction_id = any($1::uuid[]) group by 1) l on l.transaction_id = t.id
       where t.id = any($1::uuid[])`,
      [ids],
    );
    expect(rows[0]).toEqual({ evaluated: TOTAL, wrong: 0, bad_entries: 0 });
    expect(await books(db, members)).toEqual({ members: 100, inconsistent: 0 });
    console.log(`crash test: ${atKill} of ${TOTAL} evaluated at the kill, ${orphaned} jobs left locked by the dead worker, all recovered`);
    expect(orphaned).toBeGreaterThan(0);
  }, 240_000);
});
