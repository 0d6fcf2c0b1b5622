/**
 * Rule kinds are data written from core/rule-kinds: the rules tables accept a kind only when its row
 * exists, and its policies (combination, unit scope, lot kind) are enforced from that row.
 */
import type pg from "pg";
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from "vitest";
import { superuser } from "./stack-env.ts";

let db: pg.Client;
beforeAll(async () => {
  db = await superuser();
});
afterAll(async () => {
  await db?.end();
});
// Each case runs in a transaction that is rolled back: nothing it writes stays.
beforeEach(() => db.query("begin"));
afterEach(() => db.query("rollback"));

async function refusal(sql: string, params: unknown[] = []) {
  await db.query("savepoint attempt");
  try {
    await db.query(sql, params);
  } catch (error) {
    await db.query("rollback to savepoint attempt");
    const e = error as { code: string; hint?: string };
    return { code: e.code, hint: e.hint };
  }
  throw new Error(`not refused: ${sql}`);
}

const unitId = async () => (await db.query<{ id: string }>("select id from public.business_units order by code limit 1")).rows[0].id;
const insertRule = (kind: string, extra: { unit?: string; lot?: string } = {}) =>
  db.query(
    "insert into public.rules (key, version, kind, name, logic, business_unit_id, lot_kind) values ($1, 1, $2, 'x', '0', $3, $4)",
    [`policy-test.${kind}`, kind, extra.unit ?? null, extra.lot ?? null],
  );

describe("rule kind policies", () => {
  it("refuses a kind no module defines", async () => {
    expect(await refusal("insert into public.rule_sets (kind, combination) values ('referral', 'first')")).toEqual({ code: "23503", hint: undefined });
  });

  it("refuses a combination the kind does not allow", async () => {
    expect(await refusal("update public.rule_sets set combination = 'sum' where kind = 'tier'")).toEqual({ code: "23514", hint: "rule_kind_combination" });
  });

  it("refuses a unit scope on a group-wide kind and a lot kind on a kind without lots", async () => {
    expect(await refusal("insert into public.rules (key, version, kind, name, logic, business_unit_id) values ('policy-test.t', 1, 'tagging', 'x', '[]', $1)", [await unitId()]))
      .toEqual({ code: "23514", hint: "rule_kind_not_unit_scoped" });
    expect(await refusal("insert into public.rules (key, version, kind, name, logic, lot_kind) values ('policy-test.r', 1, 'reminder', 'x', '[]', 'campaign')"))
      .toEqual({ code: "23514", hint: "rule_kind_without_lots" });
  });

  it("takes a new kind from a sync, and refuses narrowing a policy that rules still use", async () => {
    const sync = (unitScoped: boolean) =>
      db.query<{ outcome: string }>("select private.sync_rule_kind('referral', array['first', 'sum'], $1, true) as outcome", [unitScoped]);
    expect((await sync(true)).rows[0].outcome).toBe("created");
    expect((await sync(true)).rows[0].outcome).toBe("unchanged");
    await insertRule("referral", { unit: await unitId(), lot: "campaign" });
    expect(await refusal("select private.sync_rule_kind('referral', array['first', 'sum'], false, true)")).toEqual({ code: "23514", hint: "rule_kind_in_use" });
    expect((await db.query("select unit_scoped from public.rule_kinds where kind = 'referral'")).rows[0].unit_scoped).toBe(true);
  });
});
