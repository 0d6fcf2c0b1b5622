/**
 * Finance write-off of expired points: confirming a month (administrators and directors) locks it, so a
 * posting dated in it is refused while one dated in an open month goes through; confirming twice is
 * idempotent; only an administrator reopens, with a reason; every step is audited.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { demoEmail, signedIn, superuser } from "./stack-env.ts";

let db: pg.Client;
const { key, newMember, units } = ledgerHelpers("finance-lock", () => db);
// A month no other test posts into.
const CLOSED = "2005-03-01";
const OPEN_DAY = "2005-04-15T10:00:00+08:00";
const CLOSED_DAY = "2005-03-20T10:00:00+08:00";
const LAST_DAY_CLOSED = "2005-03-31T23:30:00+08:00"; // still March in business time (UTC: 15:30 on the 31st)

beforeAll(async () => {
  db = await superuser();
});

afterAll(async () => {
  await db.query("update finance_closed_periods set status = 'reopened', reopen_reason = 'test cleanup' where month = $1", [CLOSED]);
  await db?.end();
});

const backdatedEarn = async (member: string, unit: string, at: string) =>
  db.query("select earn_points($1, $2, 100, $3, 'shopping', now() + interval '30 days', null, null, $4) as r", [member, unit, key(), at]);

describe("expired points write-off", () => {
  it("confirm locks the month: a back-dated posting into it is refused, one into an open month is not; confirm twice is idempotent", async () => {
    const { mall } = await units();
    const member = await newMember();
    const director = (await signedIn(demoEmail("director"))).client;
    const first = await director.rpc("confirm_expired_period", { p_month: CLOSED });
    expect(first.error).toBeNull();
    expect(first.data).toMatchObject({ month: CLOSED, status: "closed", duplicate: false });
    const again = await director.rpc("confirm_expired_period", { p_month: CLOSED });
    expect(again.data).toMatchObject({ month: CLOSED, status: "closed", duplicate: true });
    expect((await db.query("select count(*)::int as n from finance_closed_periods where month = $1", [CLOSED])).rows[0].n).toBe(1);

    const before = (await db.query("select count(*)::int as n from ledger_entries where member_id = $1", [member])).rows[0].n;
    for (const at of [CLOSED_DAY, LAST_DAY_CLOSED]) {
      await expect(backdatedEarn(member, mall, at)).rejects.toMatchObject({ code: "22023", hint: "finance_period_closed" });
    }
    expect((await db.query("select count(*)::int as n from ledger_entries where member_id = $1", [member])).rows[0].n).toBe(before);
    expect((await db.query("select balance::int from point_balances where member_id = $1", [member])).rows[0].balance).toBe(0);
    const open = await backdatedEarn(member, mall, OPEN_DAY);
    expect(open.rows[0].r.duplicate).toBe(false);

    const audit = await db.query("select action, reason from audit_log where table_name = 'finance_closed_periods' and record_id = $1 order by id", [CLOSED]);
    expect(audit.rows[0]).toEqual({ action: "INSERT", reason: "finance-write-off" });
  });

  it("only administrators and directors confirm; the month must have ended and be a month", async () => {
    for (const email of [demoEmail("analyst"), demoEmail("manager"), demoEmail("staff")]) {
      const { client } = await signedIn(email);
      const { error } = await client.rpc("confirm_expired_period", { p_month: "2005-05-01" });
      expect(error, email).toMatchObject({ code: "42501", hint: "finance_confirm_not_allowed" });
    }
    const { client } = await signedIn(demoEmail("admin"));
    expect((await client.rpc("confirm_expired_period", { p_month: "2005-05-02" })).error).toMatchObject({ hint: "finance_period_invalid" });
    const thisMonth = (await db.query("select date_trunc('month', private.business_today())::date::text as m")).rows[0].m;
    expect((await client.rpc("confirm_expired_period", { p_month: thisMonth })).error).toMatchObject({ hint: "finance_period_not_ended" });
  });

  it("only an administrator reopens, with a reason; then postings into the month go through again", async () => {
    const { mall } = await units();
    const member = await newMember();
    const director = (await signedIn(demoEmail("director"))).client;
    await director.rpc("confirm_expired_period", { p_month: CLOSED });
    expect((await director.rpc("reopen_expired_period", { p_month: CLOSED, p_reason: "补录" })).error)
      .toMatchObject({ code: "42501", hint: "finance_reopen_admin_only" });
    const admin = (await signedIn(demoEmail("admin"))).client;
    expect((await admin.rpc("reopen_expired_period", { p_month: CLOSED, p_reason: " " })).error)
      .toMatchObject({ hint: "finance_reopen_reason_required" });
    await expect(backdatedEarn(member, mall, CLOSED_DAY)).rejects.toMatchObject({ hint: "finance_period_closed" });
    const reopened = await admin.rpc("reopen_expired_period", { p_month: CLOSED, p_reason: "补录三月漏记积分" });
    expect(reopened.error).toBeNull();
    expect(reopened.data).toMatchObject({ status: "reopened", reopen_reason: "补录三月漏记积分" });
    expect((await backdatedEarn(member, mall, CLOSED_DAY)).rows[0].r.duplicate).toBe(false);
    const audit = await db.query(
      "select reason from audit_log where table_name = 'finance_closed_periods' and record_id = $1 and action = 'UPDATE' order by id desc limit 1", [CLOSED]);
    expect(audit.rows[0].reason).toBe("补录三月漏记积分");
    expect((await admin.rpc("reopen_expired_period", { p_month: CLOSED, p_reason: "again" })).error)
      .toMatchObject({ hint: "finance_period_not_closed" });
  });

  it("the expired points report lists months and units with their confirmation", async () => {
    const { client } = await signedIn(demoEmail("analyst"));
    const { data, error } = await client.rpc("report_expired_points", { p_from: "2005-01-01", p_to: "2005-12-31" });
    expect(error).toBeNull();
    expect(Array.isArray(data)).toBe(true);
  });
});
