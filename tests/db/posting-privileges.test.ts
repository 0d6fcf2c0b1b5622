/**
 * Who creates points and with which values: manual earn is an administrator's, capped; transactions are
 * written only by record_transaction; timestamps are finite and bounded (users within the back-dating
 * window, the system beyond it); users' idempotency keys cannot take the system's or another unit's.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MAX_BACKDATE_DAYS, MAX_CLIENT_IDEMPOTENCY_KEY_LENGTH, MAX_EXPIRY_YEARS, MAX_MANUAL_EARN_POINTS,
} from "../../core/enums/index.ts";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { outcome, roleSessions } from "./role-session.ts";
import { superuser } from "./stack-env.ts";

let db: pg.Client;
let mall: string;
let hotel: string;
let session: Awaited<ReturnType<typeof roleSessions>>;
const { key, newMember, units } = ledgerHelpers("posting-privileges", () => db);

const earn = "select earn_points($1, $2, $3, $4) as r";
const earnAt = "select earn_points($1, $2, $3, $4, 'shopping', $5::timestamptz, null, null, $6::timestamptz) as r";
const record = "select record_transaction($1, $2, $3, 100, 'pos', $4::timestamptz) as r";
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

beforeAll(async () => {
  db = await superuser();
  ({ mall, hotel } = await units());
  session = await roleSessions(db);
});

afterAll(async () => {
  await db?.end();
});

describe("manual earn", () => {
  it.each(["staff", "manager", "director"] as const)("%s may not earn points by hand, even at their own unit", async (role) => {
    const m = await newMember();
    const unit = role === "manager" ? hotel : mall;
    const r = await session.attempt(role, earn, [m, unit, 10, key()]);
    expect(outcome(r)).toBe("manual_earn_admin_only");
    expect(r.ok || r.error.code).toBe("42501");
  });

  it("an administrator earns up to the cap, not a point more (2,147,483,647 is refused)", async () => {
    const m = await newMember();
    expect(outcome(await session.attempt("admin", earn, [m, mall, MAX_MANUAL_EARN_POINTS, key()]))).toBe("ok");
    expect(outcome(await session.attempt("admin", earn, [m, mall, MAX_MANUAL_EARN_POINTS + 1, key()]))).toBe("manual_earn_over_cap");
    expect(outcome(await session.attempt("admin", earn, [m, mall, 2_147_483_647, key()]))).toBe("manual_earn_over_cap");
  });

  it("the system (engine) still earns any amount a rule gives", async () => {
    const m = await newMember();
    expect(outcome(await session.attempt("service_role", earn, [m, mall, MAX_MANUAL_EARN_POINTS * 10, key()]))).toBe("ok");
  });
});

describe("transactions", () => {
  it.each(["staff", "manager", "director", "admin"] as const)("%s cannot insert, update or delete transactions directly", async (role) => {
    const m = await newMember();
    const unit = role === "manager" ? hotel : mall;
    const insert = await session.attempt(role,
      "insert into transactions (business_unit_id, order_no, member_id, amount) values ($1, $2, $3, 99999999)", [unit, key("order"), m]);
    expect(insert.ok || insert.error.code).toBe("42501");
    const [txn] = await session.commitAs(role === "manager" ? "manager" : "staff", record, [m, unit, key("order"), new Date().toISOString()]);
    for (const sql of ["update transactions set amount = 1 where id = $1", "delete from transactions where id = $1"]) {
      const r = await session.attempt(role, sql, [txn.r.transaction_id]);
      expect(r.ok || r.error.code, sql).toBe("42501");
    }
  });

  it("record_transaction stays the front office's way to record a purchase", async () => {
    const m = await newMember();
    const r = await session.attempt("staff", record, [m, mall, key("order"), new Date().toISOString()]);
    expect(outcome(r)).toBe("ok");
  });
});

describe("timestamps", () => {
  it.each([
    ["-infinity", "timestamp_not_finite"],
    ["infinity", "timestamp_not_finite"],
    ["1900-01-01T00:00:00Z", "occurred_too_old"],
    [daysAgo(MAX_BACKDATE_DAYS + 1), "occurred_too_old"],
    [new Date(Date.now() + 3_600_000).toISOString(), "occurred_in_future"],
    [daysAgo(MAX_BACKDATE_DAYS - 1), "ok"],
  ])("a user recording a purchase at %s: %s", async (at, expected) => {
    const m = await newMember();
    expect(outcome(await session.attempt("staff", record, [m, mall, key("order"), at]))).toBe(expected);
  });

  it("the system replays older history (the demo seed), but not an infinite or future time", async () => {
    const m = await newMember();
    expect(outcome(await session.attempt("service_role", record, [m, mall, key("order"), daysAgo(700)]))).toBe("ok");
    expect(outcome(await session.attempt("service_role", record, [m, mall, key("order"), "-infinity"]))).toBe("timestamp_not_finite");
  });

  it.each([
    ["infinity", null, "timestamp_not_finite"],
    [new Date(Date.now() + (MAX_EXPIRY_YEARS + 1) * 366 * 86_400_000).toISOString(), null, "expiry_too_far"],
    [null, "-infinity", "timestamp_not_finite"],
    [null, "1900-01-01T00:00:00Z", "occurred_too_old"],
  ])("a manual earn expiring %s, occurred %s: %s", async (expires, occurred, expected) => {
    const m = await newMember();
    const r = await session.attempt("admin", earnAt, [m, mall, 10, key(), expires, occurred ?? new Date().toISOString()]);
    expect(outcome(r)).toBe(expected);
  });

  it("the engine's earn refuses a lot that never expires", async () => {
    const m = await newMember();
    expect(outcome(await session.attempt("service_role", earnAt, [m, mall, 10, key(), "infinity", new Date().toISOString()])))
      .toBe("timestamp_not_finite");
  });
});

describe("idempotency keys", () => {
  it("a user's txn:<id>:earn key does not keep the engine from earning that transaction's points", async () => {
    const m = await newMember();
    const txnKey = `txn:${crypto.randomUUID()}:earn`;
    await session.commitAs("admin", earn, [m, mall, 5, txnKey]);
    const [system] = await session.commitAs("service_role", earn, [m, mall, 40, txnKey]);
    expect(system.r).toMatchObject({ duplicate: false, balance: 45 });
  });

  it("a user's merge:<id>:out key does not block merging that member", async () => {
    const survivor = await newMember();
    const merged = await newMember();
    await db.query("select earn_points($1, $2, 50, $3)", [merged, mall, key()]);
    await session.commitAs("staff", "select redeem_points($1, $2, 1, $3)", [merged, mall, `merge:${merged}:out`]);
    const { rows } = await db.query("select merge_members($1, $2, true) as r", [survivor, merged]);
    expect(rows[0].r).toMatchObject({ confirmed: true, points_moved: 49 });
  });

  it("the same key at two business units posts twice: keys are scoped to the unit", async () => {
    const m = await newMember();
    await db.query("select earn_points($1, $2, 50, $3)", [m, mall, key()]);
    await db.query("select earn_points($1, $2, 50, $3)", [m, hotel, key()]);
    const shared = key("shared");
    const [atMall] = await session.commitAs("staff", "select redeem_points($1, $2, 3, $3) as r", [m, mall, shared]);
    const [atHotel] = await session.commitAs("manager", "select redeem_points($1, $2, 3, $3) as r", [m, hotel, shared]);
    expect(atMall.r.duplicate).toBe(false);
    expect(atHotel.r).toMatchObject({ duplicate: false, balance: 94 });
  });

  it("a repeated user key still replays at its unit", async () => {
    const m = await newMember();
    await db.query("select earn_points($1, $2, 50, $3)", [m, mall, key()]);
    const k = key("again");
    await session.commitAs("staff", "select redeem_points($1, $2, 3, $3) as r", [m, mall, k]);
    const [again] = await session.commitAs("staff", "select redeem_points($1, $2, 3, $3) as r", [m, mall, k]);
    expect(again.r).toMatchObject({ duplicate: true, balance: 47 });
  });

  it(`a user's key is at most ${MAX_CLIENT_IDEMPOTENCY_KEY_LENGTH} characters`, async () => {
    const m = await newMember();
    await db.query("select earn_points($1, $2, 50, $3)", [m, mall, key()]);
    const r = await session.attempt("staff", "select redeem_points($1, $2, 1, $3)", [m, mall, "k".repeat(MAX_CLIENT_IDEMPOTENCY_KEY_LENGTH + 1)]);
    expect(outcome(r)).toBe("idempotency_key_too_long");
  });
});
