/**
 * Points ledger functions against a real Postgres (superuser connection, i.e. the engine's path):
 * earn, FIFO redeem, reversal policies, expiry, balance_as_of, idempotency, append-only, bad input.
 * Uses TEST_DATABASE_URL (the stack's database) or the local stack default.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invariantRows, ledgerHelpers } from "./ledger-fixtures.ts";
import { superuser } from "./stack-env.ts";

let db: pg.Client;
let mall: string;
let hotel: string;
const { key, newMember, units } = ledgerHelpers("ledger-test", () => db);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Json = Record<string, unknown> & { entry_id: number; balance: number; duplicate: boolean };
async function earn(member: string, unit: string, points: number, k = key("earn"), extra: Record<string, unknown> = {}) {
  const names = Object.keys(extra);
  const args = names.map((n, i) => `${n} => $${i + 5}`).join(", ");
  const { rows } = await db.query(
    `select earn_points($1, $2, $3, $4${args ? ", " + args : ""}) as r`,
    [member, unit, points, k, ...names.map((n) => extra[n])],
  );
  return rows[0].r as Json & { lot_id: number };
}
async function redeem(member: string, unit: string, points: number, k = key("redeem"), reason: string | null = null) {
  const { rows } = await db.query("select redeem_points($1, $2, $3, $4, $5) as r", [member, unit, points, k, reason]);
  return rows[0].r as Json & { lots: { lot_id: number; points: number; expires_at: string }[] };
}
async function reverse(entry: number, k = key("reverse"), reason = "测试冲正") {
  const { rows } = await db.query("select reverse_entry($1, $2, $3) as r", [entry, k, reason]);
  return rows[0].r as Json & { points: number; not_reversed: number; lots: { lot_id: number; points: number }[] };
}
async function balance(member: string) {
  const { rows } = await db.query("select balance::int from point_balances where member_id = $1", [member]);
  return rows[0]?.balance as number;
}
async function pgError(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as pg.DatabaseError;
  }
  throw new Error("expected the statement to fail, but it succeeded");
}

/** balance = sum(entries) = sum(open lots) = last entry's balance_after; moves match entries and lots. */
async function invariants(members: string[]) {
  const rows = await invariantRows(db, members);
  for (const r of rows) {
    const ctx = `member ${r.member_id}: ${JSON.stringify(r)}`;
    expect(r.balance, ctx).toBe(r.ledger);
    expect(r.balance, ctx).toBe(r.lots);
    expect(r.balance, ctx).toBe(r.last_after);
    expect(Number(r.balance), ctx).toBeGreaterThanOrEqual(0);
    expect(r.bad_entries, ctx).toBe(0);
    expect(r.bad_lots, ctx).toBe(0);
    expect(r.bad_refs, ctx).toBe(0);
  }
}

async function counts() {
  const { rows } = await db.query(
    `select (select count(*) from ledger_entries) as entries, (select count(*) from point_lots) as lots,
            (select count(*) from ledger_lot_moves) as moves, (select sum(balance) from point_balances) as balances,
            (select sum(remaining_points) from point_lots) as remaining`,
  );
  return rows[0];
}

beforeAll(async () => {
  db = await superuser();
  ({ mall, hotel } = await units());
});

afterAll(async () => {
  await db?.end();
});

describe("earn and redeem", () => {
  it("earning creates an entry, a lot with the default expiry by kind, a move and the balance", async () => {
    const m = await newMember();
    const at = new Date(Date.now() - 86_400_000);
    const r = await earn(m, mall, 120, key(), { p_kind: "campaign", p_occurred_at: at, p_reason: "开业活动" });
    expect(r).toMatchObject({ balance: 120, duplicate: false });
    const lot = (await db.query("select * from point_lots where id = $1", [r.lot_id])).rows[0];
    expect(lot).toMatchObject({ member_id: m, business_unit_id: mall, kind: "campaign", original_points: 120, remaining_points: 120 });
    expect(lot.earned_at.getTime()).toBe(at.getTime());
    expect(lot.expires_at.getTime()).toBe(at.getTime() + 90 * 86_400_000);
    const shopping = await earn(m, mall, 1);
    const lot2 = (await db.query("select earned_at, expires_at from point_lots where id = $1", [shopping.lot_id])).rows[0];
    expect(lot2.expires_at.getTime() - lot2.earned_at.getTime()).toBe(365 * 86_400_000);
    const entry = (await db.query("select * from ledger_entries where id = $1", [r.entry_id])).rows[0];
    expect(entry).toMatchObject({ kind: "earn", points: 120, balance_after: "120", reason: "开业活动", operator_id: null });
    expect(await balance(m)).toBe(121);
    await invariants([m]);
  });

  it("redemption consumes lots first-expiring-first: by expires_at, then earned_at, then id", async () => {
    const m = await newMember();
    const day = 86_400_000;
    const now = Date.now();
    const exp = (d: number) => new Date(now + d * day);
    // Lots, in the order they must be consumed:
    const a = await earn(m, mall, 10, key(), { p_expires_at: exp(10) });
    const b = await earn(m, mall, 10, key(), { p_expires_at: exp(20), p_occurred_at: new Date(now - 3 * day) });
    const c = await earn(m, hotel, 10, key(), { p_expires_at: exp(20), p_occurred_at: new Date(now - 2 * day) });
    const sameTime = new Date(now - day);
    const d = await earn(m, mall, 10, key(), { p_expires_at: exp(30), p_occurred_at: sameTime });
    const e = await earn(m, mall, 10, key(), { p_expires_at: exp(30), p_occurred_at: sameTime });
    const f = await earn(m, mall, 10, key(), { p_kind: "birthday" }); // +90 days
    const g = await earn(m, mall, 10, key(), { p_expires_at: exp(5) }); // earned last, expires first
    const expected = [g, a, b, c, d, e, f].map((x) => x.lot_id);
    expect(d.lot_id).toBeLessThan(e.lot_id);

    const r1 = await redeem(m, hotel, 25);
    expect(r1.lots.map((l) => [l.lot_id, l.points])).toEqual([[expected[0], 10], [expected[1], 10], [expected[2], 5]]);
    const r2 = await redeem(m, mall, 30);
    expect(r2.lots.map((l) => [l.lot_id, l.points])).toEqual([[expected[2], 5], [expected[3], 10], [expected[4], 10], [expected[5], 5]]);
    expect(r2.balance).toBe(15);
    const left = await db.query(
      "select id, remaining_points from point_lots where member_id = $1 and remaining_points > 0 order by id",
      [m],
    );
    expect(left.rows.map((l) => [Number(l.id), l.remaining_points]).sort()).toEqual(
      [[expected[5], 5], [expected[6], 10]].sort(),
    );
    await invariants([m]);
  });

  it("refuses a shortfall with the balance and the request in the message, changing nothing", async () => {
    const m = await newMember();
    await earn(m, mall, 40);
    const before = await counts();
    const err = await pgError(redeem(m, mall, 41));
    expect(err.code).toBe("P0001");
    expect(err.message).toBe("insufficient points: balance 40, requested 41");
    expect(await counts()).toEqual(before);
    expect((await redeem(m, mall, 40)).balance).toBe(0);
    const none = await pgError(redeem(await newMember(), mall, 1));
    expect(none.message).toBe("insufficient points: balance 0, requested 1");
  });
});

describe("idempotency", () => {
  it("the same key posts once and replays the original answer", async () => {
    const m = await newMember();
    const k = key("once");
    const first = await earn(m, mall, 70, k);
    const again = await earn(m, mall, 70, k);
    expect(again).toEqual({ ...first, duplicate: true });
    const rk = key("redeem-once");
    const r1 = await redeem(m, mall, 30, rk);
    const r2 = await redeem(m, mall, 30, rk);
    expect(r2).toEqual({ ...r1, duplicate: true });
    const vk = key("reverse-once");
    const v1 = await reverse(r1.entry_id, vk);
    const v2 = await reverse(r1.entry_id, vk);
    expect(v2).toEqual({ ...v1, duplicate: true });
    expect(await balance(m)).toBe(70);
    const n = await db.query("select count(*)::int as n from ledger_entries where idempotency_key = any($1)", [[k, rk, vk]]);
    expect(n.rows[0].n).toBe(3);
    await invariants([m]);
  });

  it("the same key with different parameters is refused, naming what differs", async () => {
    const m = await newMember();
    const other = await newMember();
    const k = key("differs");
    await earn(m, mall, 70, k, { p_kind: "shopping" });
    const before = await counts();
    const cases: [Promise<unknown>, RegExp][] = [
      [earn(m, mall, 71, k), /points/],
      [earn(other, mall, 70, k), /member/],
      [earn(m, hotel, 70, k), /business unit/],
      [earn(m, mall, 70, k, { p_kind: "campaign" }), /lot kind/],
      [earn(m, mall, 70, k, { p_reason: "x" }), /reason/],
      [redeem(m, mall, 70, k), /operation \(the key was used for earn\)/],
    ];
    for (const [promise, what] of cases) {
      const err = await pgError(promise);
      expect(err.code).toBe("23505");
      expect(err.message).toMatch(/^idempotency key ".*" was already used with different parameters/);
      expect(err.message).toMatch(what);
    }
    expect(await counts()).toEqual(before);
  });
});

describe("reversal", () => {
  it("reversing an untouched earn takes the whole lot back; a second reversal is refused", async () => {
    const m = await newMember();
    await earn(m, mall, 10);
    const e = await earn(m, mall, 50);
    const r = await reverse(e.entry_id);
    expect(r).toMatchObject({ points: -50, not_reversed: 0, balance: 10, duplicate: false });
    const lot = (await db.query("select remaining_points from point_lots where id = $1", [e.lot_id])).rows[0];
    expect(lot.remaining_points).toBe(0);
    const again = await pgError(reverse(e.entry_id));
    expect(again.code).toBe("23505");
    expect(again.message).toBe(`entry ${e.entry_id} was already reversed by entry ${r.entry_id}`);
    const ofReversal = await pgError(reverse(r.entry_id));
    expect(ofReversal.code).toBe("22023");
    expect(ofReversal.message).toMatch(/is itself a reversal/);
    await invariants([m]);
  });

  it("reversing a partly spent earn takes back only what remains (the spent part stays)", async () => {
    const m = await newMember();
    const e = await earn(m, mall, 100);
    const spent = await redeem(m, mall, 30);
    const r = await reverse(e.entry_id);
    expect(r).toMatchObject({ points: -70, not_reversed: 30, balance: 0 });
    // Everything spent: nothing left to reverse.
    const m2 = await newMember();
    const e2 = await earn(m2, mall, 20);
    await redeem(m2, mall, 20);
    const before = await counts();
    const none = await pgError(reverse(e2.entry_id));
    expect(none.code).toBe("P0001");
    expect(none.message).toMatch(/nothing left to reverse/);
    expect(await counts()).toEqual(before);
    // Undoing the redemption afterwards returns its 30 points into their (still valid) lot.
    const back = await reverse(spent.entry_id);
    expect(back).toMatchObject({ points: 30, balance: 30, lots: [{ lot_id: e.lot_id, points: 30 }] });
    await invariants([m, m2]);
  });

  it("reversing a redemption restores the consumed lots; an expired lot's share goes into a new adjustment lot", async () => {
    const m = await newMember();
    const shortLot = await earn(m, mall, 40, key(), { p_expires_at: new Date(Date.now() + 1500) });
    const longLot = await earn(m, mall, 100);
    const red = await redeem(m, hotel, 60, key(), "兑换礼品");
    expect(red.lots.map((l) => [l.lot_id, l.points])).toEqual([[shortLot.lot_id, 40], [longLot.lot_id, 20]]);
    await sleep(1700); // the short lot is now past its expiry (and empty)
    const r = await reverse(red.entry_id, key(), "礼品缺货, 退回积分");
    expect(r.points).toBe(60);
    expect(r.balance).toBe(140);
    const lots = await db.query(
      "select id, kind, original_points, remaining_points, expires_at, earned_at from point_lots where member_id = $1 order by id",
      [m],
    );
    expect(lots.rows.find((l) => Number(l.id) === longLot.lot_id).remaining_points).toBe(100);
    expect(lots.rows.find((l) => Number(l.id) === shortLot.lot_id).remaining_points).toBe(0);
    const adj = lots.rows.find((l) => l.kind === "adjustment");
    expect(adj).toMatchObject({ original_points: 40, remaining_points: 40 });
    expect(adj.expires_at.getTime() - adj.earned_at.getTime()).toBe(365 * 86_400_000);
    const entry = (await db.query("select * from ledger_entries where id = $1", [r.entry_id])).rows[0];
    expect(entry).toMatchObject({ kind: "reverse", points: 60, reverses_entry_id: String(red.entry_id), reason: "礼品缺货, 退回积分" });
    await invariants([m]);
  });

  it("a frozen or cancelled member's entries can still be corrected", async () => {
    const m = await newMember();
    const e = await earn(m, mall, 40);
    await db.query("update members set status = 'frozen' where id = $1", [m]);
    expect((await reverse(e.entry_id)).balance).toBe(0);
    await invariants([m]);
  });

  it("expiry entries cannot be reversed; a reason is required", async () => {
    const m = await newMember();
    const e = await earn(m, mall, 5, key(), { p_expires_at: new Date(Date.now() + 800) });
    await sleep(1000);
    await earn(m, mall, 1);
    await redeem(m, mall, 1); // expires the due lot inline first
    const exp = (await db.query("select id from ledger_entries where member_id = $1 and kind = 'expire'", [m])).rows[0];
    expect(exp).toBeDefined();
    const err = await pgError(reverse(Number(exp.id)));
    expect(err.code).toBe("22023");
    expect(err.message).toMatch(/is an expiry/);
    const noReason = await pgError(db.query("select reverse_entry($1, $2, null)", [e.entry_id, key()]));
    expect(noReason.code).toBe("22023");
    expect(noReason.message).toMatch(/reason is required/);
    await invariants([m]);
  });
});

describe("expiry", () => {
  it("expires due lots once: one entry per lot dated at its expiry; running it again is a no-op", async () => {
    const m = await newMember();
    const t = Date.now();
    const l1 = await earn(m, mall, 30, key(), { p_expires_at: new Date(t + 1000) });
    const l2 = await earn(m, hotel, 20, key(), { p_expires_at: new Date(t + 1100) });
    await earn(m, mall, 7);
    await sleep(1300);
    const first = await db.query("select expire_due_lots() as n");
    expect(Number(first.rows[0].n)).toBeGreaterThanOrEqual(2);
    const entries = await db.query(
      "select e.points, e.occurred_at, e.balance_after, e.business_unit_id, mv.lot_id from ledger_entries e join ledger_lot_moves mv on mv.entry_id = e.id where e.member_id = $1 and e.kind = 'expire' order by e.id",
      [m],
    );
    expect(entries.rows.map((r) => [Number(r.lot_id), r.points, r.business_unit_id])).toEqual([
      [l1.lot_id, -30, mall],
      [l2.lot_id, -20, hotel],
    ]);
    expect(entries.rows[0].occurred_at.getTime()).toBe(t + 1000);
    expect(entries.rows.map((r) => Number(r.balance_after))).toEqual([27, 7]);
    const lot = (await db.query("select remaining_points, expired_points from point_lots where id = $1", [l1.lot_id])).rows[0];
    expect(lot).toEqual({ remaining_points: 0, expired_points: 30 });
    expect(await balance(m)).toBe(7);

    const before = await counts();
    await db.query("select expire_due_lots()");
    await db.query("call private.expire_due_lots_batched(now(), 10, null)");
    expect(await counts()).toEqual(before);
    await invariants([m]);
  });

  it("the committed-batch procedure expires everything due across many small batches, and concurrent runs never double-expire", async () => {
    const members = [await newMember(), await newMember(), await newMember()];
    const t = Date.now();
    let total = 0;
    for (let i = 0; i < 24; i++) {
      const pts = 1 + i;
      total += pts;
      // several lots share one expiry instant and every member has more due lots than a batch holds
      await earn(members[i % 3], i % 2 ? mall : hotel, pts, key(), { p_expires_at: new Date(t + 1000 + (i % 4) * 10) });
    }
    await sleep(1200);
    const other = await superuser();
    try {
      const [a, b] = await Promise.all([
        db.query("call private.expire_due_lots_batched(now(), 5, null)"),
        other.query("call private.expire_due_lots_batched(now(), 3, null)"),
      ]);
      expect(Number(a.rows[0].p_expired) + Number(b.rows[0].p_expired)).toBeGreaterThanOrEqual(24);
      // the runs also report the points they expired (other tests' due lots may be among them)
      expect(Number(a.rows[0].p_points) + Number(b.rows[0].p_points)).toBeGreaterThanOrEqual(total);
    } finally {
      await other.end();
    }
    const again = (await db.query("call private.expire_due_lots_batched(now(), 5, null)")).rows[0];
    if (Number(again.p_expired) === 0) expect(Number(again.p_points)).toBe(0);
    const { rows } = await db.query(
      "select count(*)::int as n, -sum(e.points)::int as pts, count(distinct mv.lot_id)::int as lots from ledger_entries e join ledger_lot_moves mv on mv.entry_id = e.id where e.member_id = any($1) and e.kind = 'expire'",
      [members],
    );
    expect(rows[0]).toEqual({ n: 24, pts: total, lots: 24 });
    for (const m of members) expect(await balance(m)).toBe(0);
    await invariants(members);
  });

  it("a redemption never spends lots past their expiry, even before the job ran", async () => {
    const m = await newMember();
    await earn(m, mall, 50, key(), { p_expires_at: new Date(Date.now() + 800) });
    await earn(m, mall, 10);
    await sleep(1000);
    const err = await pgError(redeem(m, mall, 11));
    expect(err.message).toBe("insufficient points: balance 10, requested 11");
    const r = await redeem(m, mall, 10);
    expect(r.balance).toBe(0);
    const kinds = await db.query("select kind, points from ledger_entries where member_id = $1 order by id", [m]);
    expect(kinds.rows.map((k) => `${k.kind}:${k.points}`)).toEqual(["earn:50", "earn:10", "expire:-50", "redeem:-10"]);
    await invariants([m]);
  });

  it("refuses an as-of time in the future and nonsense batch sizes", async () => {
    const future = await pgError(db.query("select expire_due_lots(now() + interval '1 day')"));
    expect(future.code).toBe("22023");
    const batch = await pgError(db.query("select expire_due_lots(now(), 0)"));
    expect(batch.code).toBe("22023");
  });

  it("lots_expiring_within lists open lots expiring soon, soonest first, for one member or all", async () => {
    const m = await newMember();
    const day = 86_400_000;
    const a = await earn(m, mall, 5, key(), { p_expires_at: new Date(Date.now() + 3 * day) });
    const b = await earn(m, mall, 5, key(), { p_expires_at: new Date(Date.now() + 1 * day) });
    await earn(m, mall, 5, key(), { p_expires_at: new Date(Date.now() + 30 * day) });
    const spent = await earn(m, mall, 5, key(), { p_expires_at: new Date(Date.now() + 0.5 * day) });
    await db.query("select reverse_entry($1, $2, 'x')", [spent.entry_id, key()]);
    const mine = await db.query("select id from lots_expiring_within($1, 7)", [m]);
    expect(mine.rows.map((r) => Number(r.id))).toEqual([b.lot_id, a.lot_id]);
    const all = await db.query("select id, member_id from lots_expiring_within(null, 7)");
    expect(all.rows.filter((r) => r.member_id === m).map((r) => Number(r.id))).toEqual([b.lot_id, a.lot_id]);
    const bad = await pgError(db.query("select * from lots_expiring_within($1, -1)", [m]));
    expect(bad.code).toBe("22023");
  });
});

describe("balance_as_of", () => {
  it("answers from the ledger by business time, expiry counted at the lot's expiry", async () => {
    const m = await newMember();
    const day = 86_400_000;
    const t = Date.now();
    await earn(m, mall, 100, key(), { p_occurred_at: new Date(t - 10 * day) });
    await earn(m, mall, 50, key(), { p_occurred_at: new Date(t - 5 * day) });
    await redeem(m, mall, 30);
    await earn(m, mall, 8, key(), { p_expires_at: new Date(t + 1000) });
    await sleep(1200);
    await db.query("select expire_due_lots()");
    const asOf = async (ms: number) =>
      Number((await db.query("select balance_as_of($1, $2) as b", [m, new Date(ms)])).rows[0].b);
    expect(await asOf(t - 11 * day)).toBe(0);
    expect(await asOf(t - 7 * day)).toBe(100);
    expect(await asOf(t - day)).toBe(150);
    expect(await asOf(t + 900)).toBe(128);
    expect(await asOf(t + 1001)).toBe(120);
    expect(await asOf(Date.now())).toBe(await balance(m));
    const unknown = await pgError(db.query("select balance_as_of(gen_random_uuid(), now())"));
    expect(unknown.code).toBe("P0002");
  });
});

describe("append-only", () => {
  it("ledger entries and lot moves can be neither updated nor deleted nor truncated, not even by a superuser", async () => {
    const m = await newMember();
    const e = await earn(m, mall, 10);
    for (const sql of [
      "update ledger_entries set points = 1000 where id = $1",
      "delete from ledger_entries where id = $1",
      "update ledger_lot_moves set points = 1000 where entry_id = $1",
      "delete from ledger_lot_moves where entry_id = $1",
    ]) {
      const err = await pgError(db.query(sql, [e.entry_id]));
      expect(err.code, sql).toBe("42501");
      expect(err.message, sql).toMatch(/append-only/);
    }
    for (const table of ["ledger_entries", "ledger_lot_moves", "point_lots"]) {
      await db.query("begin");
      const err = await pgError(db.query(`truncate ${table} cascade`));
      await db.query("rollback");
      expect(err.code, table).toBe("42501");
    }
    const lotDelete = await pgError(db.query("delete from point_lots where id = $1", [e.lot_id]));
    expect(lotDelete.code).toBe("42501");
    const lotEdit = await pgError(db.query("update point_lots set original_points = 999 where id = $1", [e.lot_id]));
    expect(lotEdit.code).toBe("42501");
    const row = (await db.query("select points, balance_after from ledger_entries where id = $1", [e.entry_id])).rows[0];
    expect(row).toEqual({ points: 10, balance_after: "10" });
  });
});

describe("bad input changes nothing", () => {
  it.each([
    ["negative points", "22023", /points must be a positive whole number, got -5/, (m: string) => earn(m, mall, -5)],
    ["zero points", "22023", /positive whole number, got 0/, (m: string) => earn(m, mall, 0)],
    ["null points", "22023", /positive whole number, got null/, (m: string) => earn(m, mall, null as unknown as number)],
    ["fractional points", "22P02", /invalid input syntax for type integer: "1.5"/, (m: string) => earn(m, mall, "1.5" as unknown as number)],
    ["negative redemption", "22023", /positive whole number/, (m: string) => redeem(m, mall, -1)],
    ["missing key", "22023", /idempotency key is required/, (m: string) => earn(m, mall, 5, null as unknown as string)],
    ["blank key", "22023", /idempotency key is required/, (m: string) => redeem(m, mall, 5, "  ")],
    ["overlong key", "22023", /idempotency key is too long/, (m: string) => earn(m, mall, 5, "k".repeat(201))],
    ["unknown member", "P0002", /unknown member/, () => earn("00000000-0000-4000-8000-000000000000", mall, 5)],
    ["unknown member (redeem)", "P0002", /unknown member/, () => redeem("00000000-0000-4000-8000-000000000000", mall, 5)],
    ["null member", "22023", /member is required/, () => earn(null as unknown as string, mall, 5)],
    ["unknown business unit", "22023", /unknown business unit/, (m: string) => earn(m, "00000000-0000-4000-8000-000000000001", 5)],
    ["null business unit", "22023", /business unit is required/, (m: string) => redeem(m, null as unknown as string, 5)],
    ["unknown lot kind", "22023", /unknown lot kind bogus/, (m: string) => earn(m, mall, 5, key(), { p_kind: "bogus" })],
    ["expiry in the past", "22023", /would already have expired/, (m: string) => earn(m, mall, 5, key(), { p_expires_at: new Date(Date.now() - 1000) })],
    ["default expiry already past", "22023", /would already have expired/, (m: string) => earn(m, mall, 5, key(), { p_occurred_at: new Date(Date.now() - 400 * 86_400_000) })],
    ["occurred in the future", "22023", /is in the future/, (m: string) => earn(m, mall, 5, key(), { p_occurred_at: new Date(Date.now() + 3_600_000) })],
    ["unknown transaction", "22023", /unknown transaction/, (m: string) => earn(m, mall, 5, key(), { p_transaction_id: "00000000-0000-4000-8000-000000000002" })],
    ["shortfall", "P0001", /^insufficient points: balance 25, requested 26$/, (m: string) => redeem(m, mall, 26)],
    ["unknown entry to reverse", "P0002", /unknown ledger entry/, () => reverse(-1)],
  ] as [string, string, RegExp, (m: string) => Promise<unknown>][])("%s → %s", async (_name, code, message, call) => {
    const m = await newMember();
    await earn(m, mall, 25);
    const before = await counts();
    const err = await pgError(call(m));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(await counts()).toEqual(before);
    expect(await balance(m)).toBe(25);
  });

  it.each(["frozen", "cancelled"] as const)("a %s member can neither earn nor redeem", async (status) => {
    const m = await newMember();
    await earn(m, mall, 25);
    await db.query("update members set status = $2 where id = $1", [m, status]);
    const before = await counts();
    for (const call of [earn(m, mall, 5), redeem(m, mall, 5)]) {
      const err = await pgError(call);
      expect(err.code).toBe("22023");
      expect(err.message).toMatch(new RegExp(`member .* is ${status}: points cannot be (earned|redeemed)`));
    }
    expect(await counts()).toEqual(before);
  });

  it("an inactive business unit cannot post", async () => {
    const code = `ledger-t-${Date.now().toString(36)}`.slice(0, 30).toLowerCase().replace(/[^a-z0-9_-]/g, "-");
    const bu = (await db.query("insert into business_units (code, name, kind, active) values ($1, '账本测试停用', 'other', false) returning id", [code])).rows[0].id;
    const m = await newMember();
    const before = await counts();
    const err = await pgError(earn(m, bu, 5));
    expect(err.code).toBe("22023");
    expect(err.message).toMatch(/inactive/);
    expect(await counts()).toEqual(before);
    await db.query("delete from business_units where id = $1", [bu]);
  });
});
