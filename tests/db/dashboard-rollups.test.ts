/**
 * Dashboard rollups: after a random mix of earn, redeem, expire and reverse (one writer, then several in
 * parallel), the rollups read with their unfolded deltas equal the aggregates of the raw tables; so do
 * they after a fold and after a rebuild, and a rebuild while writers run loses nothing.
 * Replay a failure with DASH_SEED=<seed printed in the test name>.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, fold, inSnapshot, random, rebuild, rollupDifferences } from "./dashboard-fixtures.ts";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { superuser } from "./stack-env.ts";

const SEED = Number(process.env.DASH_SEED ?? Date.now() % 1_000_000);
const DAY = 86_400_000;
const LOT_KINDS = ["shopping", "campaign", "compensation", "birthday"];
let db: pg.Client;
let units: string[];
const helpers = ledgerHelpers("dash-rollups", () => db);

beforeAll(async () => {
  db = await superuser();
  const { mall, hotel } = await helpers.units();
  units = [mall, hotel];
});

afterAll(async () => {
  await db?.end();
});

/** One random operation by `c` on one of `members`; refusals (nothing to redeem or reverse) are expected. */
async function randomOperation(c: pg.Client, members: string[], next: () => number, shortLots: boolean) {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  const member = pick(members);
  const unit = pick(units);
  const op = next();
  try {
    if (op < 0.5) {
      // Earn, sometimes back-dated (days ago), sometimes expiring within seconds (the expiry run takes those).
      const occurred = new Date(Date.now() - Math.floor(next() * 40) * DAY - Math.floor(next() * DAY));
      const expires = shortLots && next() < 0.3 ? new Date(Date.now() + 1500) : new Date(Date.now() + (5 + Math.floor(next() * 120)) * DAY);
      await c.query("select earn_points($1, $2, $3, $4, $5, $6, null, null, $7)",
        [member, unit, 10 + Math.floor(next() * 500), helpers.key("earn"), pick(LOT_KINDS), expires, occurred]);
    } else if (op < 0.8) {
      await c.query("select redeem_points($1, $2, $3, $4)", [member, unit, 5 + Math.floor(next() * 300), helpers.key("redeem")]);
    } else {
      const { rows } = await c.query(
        `select e.id from ledger_entries e where e.member_id = $1 and e.kind in ('earn', 'redeem')
           and not exists (select 1 from ledger_entries r where r.reverses_entry_id = e.id)
         order by e.id desc limit 3`, [member]);
      if (rows.length) await c.query("select reverse_entry($1, $2, 'dashboard test')", [pick(rows).id, helpers.key("reverse")]);
    }
  } catch (error) {
    const { code, hint } = error as pg.DatabaseError & { hint?: string };
    // Insufficient points, nothing left to reverse, or a parallel writer reversed the entry first.
    if (code !== "P0001" && hint !== "entry_already_reversed") throw error;
  }
}

async function expectRollupsEqualRaw() {
  const differences = await inSnapshot(db, () => rollupDifferences(db));
  expect(differences).toEqual({});
}

describe(`rollups equal the raw aggregates (seed ${SEED})`, () => {
  it("after a rebuild of the existing data", async () => {
    await rebuild(db);
    await expectRollupsEqualRaw();
  });

  it("after a random mix of earn, redeem, expire and reverse by one writer, before and after the fold", async () => {
    const next = random(SEED);
    const members = await Promise.all(Array.from({ length: 6 }, () => helpers.newMember()));
    for (let i = 0; i < 120; i++) await randomOperation(db, members, next, true);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    await db.query("select expire_due_lots(now())");
    const pending = await db.query("select count(*)::int as n from private.points_delta");
    expect(pending.rows[0].n).toBeGreaterThan(0);
    await expectRollupsEqualRaw();
    expect(await fold(db)).toMatchObject({ skipped: false });
    await expectRollupsEqualRaw();
  });

  it("with several writers in parallel and folds running meanwhile, and after a rebuild during the writes", async () => {
    const members = await Promise.all(Array.from({ length: 8 }, () => helpers.newMember()));
    const writers = await connect(5);
    try {
      let rebuilt: Record<string, unknown> | undefined;
      const lanes = writers.slice(0, 4).map(async (c, lane) => {
        const next = random(SEED + lane + 1);
        for (let i = 0; i < 60; i++) {
          await randomOperation(c, members, next, false);
          if (lane === 0 && i % 20 === 10) await fold(c);
        }
      });
      const rebuildDuring = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        rebuilt = await rebuild(writers[4]);
      })();
      await Promise.all([...lanes, rebuildDuring]);
      expect(rebuilt).toMatchObject({ batches: expect.any(Number) });
      await expectRollupsEqualRaw();
      // Two folds at once: one folds, the other finds the lock taken.
      const both = await Promise.all([fold(writers[0]), fold(writers[1])]);
      expect(both.some((r) => r.skipped === false)).toBe(true);
      await expectRollupsEqualRaw();
      await rebuild(db);
      await expectRollupsEqualRaw();
    } finally {
      await Promise.all(writers.map((c) => c.end()));
    }
  });

  it("rebuild refuses to run outside a REPEATABLE READ transaction", async () => {
    await expect(db.query("select private.rebuild_rollups()")).rejects.toMatchObject({ code: "25001", hint: "rebuild_needs_snapshot" });
  });
});
