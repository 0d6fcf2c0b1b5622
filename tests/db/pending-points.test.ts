/**
 * Pending points (待入账): the seeded hold rule (hold-mall-retail: mall POS purchases, 7-day return window) makes the
 * engine post a purchase's points as pending rows instead of lots. Held points cannot be spent (also with parallel
 * redemptions), are released once when their window ends (also with two releases at once), and a return within the
 * window cancels exactly that purchase's held points without touching the balance; after the window a return
 * reverses the posted lot. Balances, the ledger invariants and the dashboard rollups add up throughout.
 *
 * "Time passes" for a held row by moving its release_at into the past with triggers off for this session (the
 * guard allows no such change otherwise).
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, inSnapshot, rollupDifferences } from "./dashboard-fixtures.ts";
import { invariantRows, ledgerHelpers } from "./ledger-fixtures.ts";
import { roleSessions, outcome } from "./role-session.ts";
import { superuser } from "./stack-env.ts";

let db: pg.Client;
let mall: string;
let hotel: string;
let session: Awaited<ReturnType<typeof roleSessions>>;
const { key, newMember, units } = ledgerHelpers("pending", () => db);

beforeAll(async () => {
  db = await superuser();
  ({ mall, hotel } = await units());
  session = await roleSessions(db);
});

afterAll(async () => {
  await db?.end();
});

/** A purchase recorded as the front office does, ten minutes ago; resolves once the engine evaluated it. */
async function purchase(member: string, unit: string, amount: number, channel = "pos") {
  const { rows } = await db.query(
    "select record_transaction($1, $2, $3, $4::numeric, $5, now() - interval '10 minutes') ->> 'transaction_id' as id",
    [member, unit, key("order"), amount, channel]);
  const id = rows[0].id as string;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const e = await db.query("select outcome, points from transaction_earnings where transaction_id = $1", [id]);
    if (e.rows.length) return { id, outcome: e.rows[0].outcome as string, points: Number(e.rows[0].points) };
    if (Date.now() > deadline) throw new Error(`the engine did not evaluate transaction ${id} within 30 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const held = async (member: string) =>
  (await db.query("select id, transaction_id, points, status, release_at from pending_points where member_id = $1 order by id", [member])).rows;

const summary = async (member: string) =>
  (await db.query("select balance::int, pending::int from member_point_summary where member_id = $1", [member])).rows[0];

/** The window of a purchase's held rows ends now (see the file comment). */
async function windowEnds(transactionId: string) {
  await db.query("begin");
  try {
    await db.query("set local session_replication_role = replica");
    await db.query("update pending_points set release_at = now() - interval '1 minute' where transaction_id = $1 and status = 'held'", [transactionId]);
    await db.query("commit");
  } catch (error) {
    await db.query("rollback");
    throw error;
  }
}

async function expectInvariants(member: string) {
  const [row] = await invariantRows(db, [member]);
  expect(row.balance).toBe(row.ledger);
  expect(row.balance).toBe(row.lots);
  expect(row.balance).toBe(row.last_after);
  expect([row.bad_entries, row.bad_lots, row.bad_refs]).toEqual([0, 0, 0]);
}

describe("holding", () => {
  it("a mall POS purchase is held for 7 days by the seeded rule; a hotel purchase posts at once", async () => {
    const member = await newMember();
    const p = await purchase(member, mall, 300);
    expect(p.outcome).toBe("held");
    expect(p.points).toBeGreaterThan(0);
    const rows = await held(member);
    expect(rows.map((r) => [r.transaction_id, r.status])).toEqual([[p.id, "held"]]);
    const days = (await db.query("select extract(epoch from release_at - earned_at) / 86400 as d from pending_points where transaction_id = $1", [p.id])).rows[0].d;
    expect(Number(days)).toBe(7);
    // Not in the ledger, the lots or the balance; shown apart.
    expect((await db.query("select count(*)::int n from ledger_entries where member_id = $1", [member])).rows[0].n).toBe(0);
    expect(await summary(member)).toEqual({ balance: 0, pending: p.points });
    await expectInvariants(member);

    const h = await purchase(member, hotel, 300, "front_desk");
    expect(h.outcome).toBe("earned");
    expect(await summary(member)).toEqual({ balance: h.points, pending: p.points });
    await expectInvariants(member);
  });
});

describe("spending", () => {
  it("held points cannot be redeemed, also by 10 redemptions at once; the spendable part is spent once", async () => {
    const member = await newMember();
    const p = await purchase(member, mall, 500);
    expect(p.outcome).toBe("held");
    const refused = await session.attempt("staff", "select redeem_points($1, $2, 1, $3)", [member, mall, key("r")]);
    expect(outcome(refused)).toBe("insufficient_points");

    await db.query("select earn_points($1, $2, 50, $3, 'campaign')", [member, mall, key("spendable")]);
    const clients = await connect(10);
    try {
      const results = await Promise.allSettled(clients.map((c) =>
        c.query("select redeem_points($1, $2, 40, $3)", [member, mall, key("burst")])));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results) {
        if (r.status === "rejected") expect((r.reason as pg.DatabaseError).hint).toBe("insufficient_points");
      }
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    expect(await summary(member)).toEqual({ balance: 10, pending: p.points });
    expect((await held(member)).map((r) => r.status)).toEqual(["held"]);
    await expectInvariants(member);
  });
});

describe("release", () => {
  it("posts each due held lot once, even when two releases run at once", async () => {
    const member = await newMember();
    const a = await purchase(member, mall, 200);
    const b = await purchase(member, mall, 400);
    await windowEnds(a.id);
    const clients = await connect(2);
    try {
      await Promise.all(clients.map((c) => c.query("select private.release_pending_points(now())")));
      await Promise.all(clients.map((c) => c.query("select private.release_pending_points(now())")));
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    const rows = await held(member);
    expect(rows.map((r) => [r.transaction_id, r.status])).toEqual([[a.id, "released"], [b.id, "held"]]);
    const entries = (await db.query(
      "select kind, points, transaction_id from ledger_entries where member_id = $1 order by id", [member])).rows;
    expect(entries).toEqual([{ kind: "earn", points: a.points, transaction_id: a.id }]);
    expect(await summary(member)).toEqual({ balance: a.points, pending: b.points });
    await expectInvariants(member);
  });

  it("is a system job", async () => {
    expect(outcome(await session.attempt("admin", "select private.release_pending_points(now())"))).toBe("42501");
  });
});

describe("returns", () => {
  it("a return within the window cancels exactly that purchase's held lots and leaves the balance; twice is once", async () => {
    const member = await newMember();
    const a = await purchase(member, mall, 250);
    const b = await purchase(member, mall, 350);
    await db.query("select earn_points($1, $2, 30, $3, 'campaign')", [member, mall, key("spendable")]);
    const ledgerBefore = (await db.query("select count(*)::int n from ledger_entries where member_id = $1", [member])).rows[0].n;

    // Only the front office of the purchase's unit returns it.
    expect(outcome(await session.attempt("analyst", "select return_transaction($1, 'x')", [a.id]))).toBe("unit_role_required");
    expect(outcome(await session.attempt("staff", "select return_transaction($1, '')", [a.id]))).toBe("reason_required");

    const first = await session.commitAs("staff", "select return_transaction($1, '顾客退货') as r", [a.id]);
    expect(first[0].r).toMatchObject({ cancelled: 1, cancelled_points: a.points, reversed: 0 });
    const again = await session.commitAs("staff", "select return_transaction($1, '顾客退货') as r", [a.id]);
    expect(again[0].r).toMatchObject({ cancelled: 0, reversed: 0 });

    expect((await held(member)).map((r) => [r.transaction_id, r.status])).toEqual([[a.id, "cancelled"], [b.id, "held"]]);
    expect(await summary(member)).toEqual({ balance: 30, pending: b.points });
    expect((await db.query("select count(*)::int n from ledger_entries where member_id = $1", [member])).rows[0].n).toBe(ledgerBefore);

    // A cancelled lot is never released.
    await windowEnds(b.id);
    await db.query("select private.release_pending_points(now())");
    expect((await held(member)).map((r) => r.status)).toEqual(["cancelled", "released"]);
    expect(await summary(member)).toEqual({ balance: 30 + b.points, pending: 0 });

    // After the window a return is the normal reversal of the posted lot.
    const late = await session.commitAs("staff", "select return_transaction($1, '超期退货') as r", [b.id]);
    expect(late[0].r).toMatchObject({ cancelled: 0, reversed: 1, reversed_points: b.points });
    expect(await summary(member)).toEqual({ balance: 30, pending: 0 });
    await expectInvariants(member);
  });

  it("a return racing the release: the lot ends either cancelled or released-and-reversed, never both posted and kept", async () => {
    const member = await newMember();
    const a = await purchase(member, mall, 220);
    await windowEnds(a.id);
    const clients = await connect(2);
    try {
      await Promise.all([
        clients[0].query("select private.release_pending_points(now())"),
        clients[1].query("select return_transaction($1, '并发退货')", [a.id]),
      ]);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    const [row] = await held(member);
    const s = await summary(member);
    expect(s).toEqual({ balance: 0, pending: 0 });
    expect(["cancelled", "released"]).toContain(row.status);
    await expectInvariants(member);
  });
});

describe("dashboards", () => {
  it("the rollups equal the raw ledger with held, released and cancelled points about", async () => {
    // The points rollups (held, released and cancelled points); sales, member and tier counts are other tests' matter.
    const { points, open_by_expiry, next_expiry } = await inSnapshot(db, () => rollupDifferences(db));
    expect({ points, open_by_expiry, next_expiry }).toEqual({ points: undefined, open_by_expiry: undefined, next_expiry: undefined });
  });
});
