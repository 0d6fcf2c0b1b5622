/**
 * What users may write directly: the member form's fields of a member (never tier, growth, status, merge link,
 * member number, home unit or dates), only the display name and language of their own staff profile, and
 * merges (and previews) of members of their own units unless their role is group-wide.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { outcome, roleSessions } from "./role-session.ts";
import { superuser } from "./stack-env.ts";

let db: pg.Client;
let mall: string;
let hotel: string;
let diamond: string;
let session: Awaited<ReturnType<typeof roleSessions>>;
const { newMember, units } = ledgerHelpers("member-privileges", () => db);

beforeAll(async () => {
  db = await superuser();
  ({ mall, hotel } = await units());
  diamond = (await db.query("select id from tiers order by rank desc limit 1")).rows[0].id;
  session = await roleSessions(db);
});

afterAll(async () => {
  await db?.end();
});

async function memberOf(unit: string) {
  const m = await newMember();
  await db.query("update members set home_business_unit_id = $2 where id = $1", [m, unit]);
  return m;
}

describe("member columns", () => {
  it.each([
    ["tier_id", () => `'${diamond}'`],
    ["growth_value", () => "999999"],
    ["status", () => "'frozen'"],
    ["merged_into", () => "id"],
    ["member_no", () => "'M1'"],
    ["tier_reviewed_at", () => "now() + interval '10 years'"],
    ["created_at", () => "'2000-01-01'"],
    ["updated_at", () => "'2000-01-01'"],
    ["home_business_unit_id", () => `'${hotel}'`],
  ])("staff cannot set %s directly", async (column, value) => {
    const m = await newMember();
    const r = await session.attempt("staff", `update members set ${column} = ${value()} where id = $1`, [m]);
    expect(r.ok || r.error.code).toBe("42501");
  });

  it("staff still edits the member form's fields", async () => {
    const m = await newMember();
    const r = await session.attempt("staff",
      "update members set name = '新名字', email = 'new@example.com', tags = '{VIP}', gender = 'female' where id = $1 returning name", [m]);
    expect(outcome(r)).toBe("ok");
  });

  it("staff registers a member with the form's fields, but not with a tier or growth of their choosing", async () => {
    const phone = `199${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
    expect(outcome(await session.attempt("staff", "insert into members (name, phone) values ('新会员', $1)", [phone]))).toBe("ok");
    const tier = await session.attempt("staff", "insert into members (name, phone, tier_id) values ('新会员', $1, $2)", [phone, diamond]);
    expect(tier.ok || tier.error.code).toBe("42501");
    const growth = await session.attempt("staff", "insert into members (name, phone, growth_value) values ('新会员', $1, 60000)", [phone]);
    expect(growth.ok || growth.error.code).toBe("42501");
  });
});

describe("staff profiles", () => {
  it("a user changes their own display name and language", async () => {
    const r = await session.attempt("staff",
      "update staff_profiles set display_name = '李娜', locale = 'en' where user_id = $1 returning user_id", [session.users.staff]);
    expect(outcome(r)).toBe("ok");
    expect(r.ok && r.value.rowCount).toBe(1);
  });

  it.each([
    ["email", "'attacker@example.com'"],
    ["home_business_unit_id", "(select id from business_units where code = 'hotel')"],
  ])("a user cannot change their own %s", async (column, value) => {
    const r = await session.attempt("staff", `update staff_profiles set ${column} = ${value} where user_id = $1`, [session.users.staff]);
    expect(outcome(r)).toBe("profile_field_locked");
  });

  it("an administrator still manages every profile", async () => {
    const r = await session.attempt("admin",
      "update staff_profiles set email = 'staff2@demo.test', home_business_unit_id = $2 where user_id = $1 returning user_id",
      [session.users.staff, hotel]);
    expect(outcome(r)).toBe("ok");
    expect(r.ok && r.value.rowCount).toBe(1);
  });
});

describe("merge scope", () => {
  const preview = "select merge_members($1, $2) as r";

  it("the hotel's manager cannot preview or merge members of the mall", async () => {
    const [a, b] = [await memberOf(mall), await memberOf(mall)];
    expect(outcome(await session.attempt("manager", preview, [a, b]))).toBe("merge_outside_units");
    expect(outcome(await session.attempt("manager", "select merge_members($1, $2, true)", [a, b]))).toBe("merge_outside_units");
    const mixed = [await memberOf(hotel), await memberOf(mall)];
    expect(outcome(await session.attempt("manager", preview, mixed))).toBe("merge_outside_units");
  });

  it("the hotel's manager merges members of the hotel", async () => {
    const [a, b] = [await memberOf(hotel), await memberOf(hotel)];
    expect(outcome(await session.attempt("manager", preview, [a, b]))).toBe("ok");
  });

  it("a group-wide director merges members of any unit", async () => {
    const [a, b] = [await memberOf(mall), await memberOf(mall)];
    expect(outcome(await session.attempt("director", preview, [a, b]))).toBe("ok");
  });
});
