/**
 * Two more engine workers (besides the stack's) and 10,000 transactions inserted concurrently by 8
 * connections, with a new rule version published midway: every transaction is evaluated exactly once and
 * earns by the version in force at its occurred_at.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEngine } from "../../engine/worker.ts";
import { databaseUrl, superuser } from "../db/stack-env.ts";
import { books, newMembers, publish, testEngine, testUnit, uniqueName, waitFor, retireTestUnits } from "./helpers.ts";

let db: pg.Client;
const engines: RunningEngine[] = [];

beforeAll(async () => {
  db = await superuser();
});
afterAll(async () => {
  await Promise.all(engines.map((e) => e.stop()));
  if (db) await retireTestUnits(db);
  await db?.end();
});

describe("concurrent earning", () => {
  it("10,000 transactions from 8 connections, 2 extra workers, a version published midway: each earns once, by its version", async () => {
    const TOTAL = 10_000;
    const PER_STATEMENT = 125;
    const unit = await testUnit(db);
    const members = await newMembers(db, 200);
    const key = uniqueName("conc");
    const v1 = await publish(db, { key, unit, logic: { floor: [{ var: "transaction.amount" }] } });
    engines.push(await testEngine({ concurrency: 32 }), await testEngine({ concurrency: 32 }));
    const prefix = `${uniqueName("C")}-`;

    const inserters = await Promise.all(Array.from({ length: 8 }, async () => {
      const c = new pg.Client({ connectionString: databaseUrl() });
      await c.connect();
      return c;
    }));
    let next = 0;
    let v2: { published_at: Date; version: number } | undefined;
    const publishing = (async () => {
      await waitFor("half of the inserts", async () => next >= TOTAL / 2, 120_000, 5);
      v2 = await publish(db, { key, unit, logic: { floor: [{ "*": [{ var: "transaction.amount" }, 3] }] } });
    })();
    await Promise.all(inserters.map(async (c) => {
      while (next < TOTAL) {
        const from = next;
        next += PER_STATEMENT;
        await c.query(
          `insert into transactions (business_unit_id, order_no, member_id, amount)
           select $1, $2 || g, ($3::uuid[])[1 + (g * 7919) % cardinality($3::uuid[])], 1 + ((g * 104729) % 99900) / 100.0
           from generate_series($4::int, $5::int) g`,
          [unit, prefix, members, from, from + PER_STATEMENT - 1],
        );
      }
    }));
    await publishing;
    await Promise.all(inserters.map((c) => c.end()));
    expect(v2).toBeDefined();

    const ids = (await db.query("select id from transactions where order_no like $1 || '%'", [prefix])).rows.map((r) => r.id);
    expect(ids).toHaveLength(TOTAL);
    await waitFor("all 10,000 transactions to be evaluated", async () => {
      const { rows } = await db.query("select count(*)::int as n from transaction_earnings where transaction_id = any($1::uuid[])", [ids]);
      return rows[0].n === TOTAL;
    }, 240_000, 250);

    const { rows } = await db.query(
      `select
         count(*)::int as evaluated,
         count(*) filter (where e.outcome <> 'earned')::int as not_earned,
         count(*) filter (where e.points <> case when t.occurred_at < $2 then floor(t.amount) else floor(t.amount * 3) end)::int as wrong_points,
         count(*) filter (where (e.rule_versions -> 0 ->> 'version')::int <> case when t.occurred_at < $2 then 1 else $3 end)::int as wrong_version,
         count(*) filter (where t.occurred_at < $2)::int as by_v1,
         count(*) filter (where t.occurred_at >= $2)::int as by_v2,
         count(*) filter (where coalesce(l.n, 0) <> 1 or l.points <> e.points)::int as bad_entries
       from transactions t
       join transaction_earnings e on e.transaction_id = t.id
       left join (select transaction_id, count(*) as n, sum(points) as points from ledger_entries
                  where kind = 'earn' and transaction_id = any($1::uuid[]) group by 1) l on l.transaction_id = t.id
       where t.id = any($1::uuid[])`,
      [ids, v2!.published_at, v2!.version],
    );
    expect(rows[0]).toMatchObject({ evaluated: TOTAL, not_earned: 0, wrong_points: 0, wrong_version: 0, bad_entries: 0 });
    expect(rows[0].by_v1).toBeGreaterThan(0);
    expect(rows[0].by_v2).toBeGreaterThan(0);
    expect(v1.version).toBe(1);
    expect(await books(db, members)).toEqual({ members: 200, inconsistent: 0 });
  }, 300_000);
});
