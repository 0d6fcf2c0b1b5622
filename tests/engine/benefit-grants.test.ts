/**
 * The engine's benefit grants: tier benefits (on reaching the tier through the earn job, and renewed each period by
 * the benefit_grants cron), birthday benefits in the birthday month (business time zone) and transaction-triggered
 * benefits from the earn job. Every path grants once however often its job runs.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBenefitGrants, type JobEnv } from "../../engine/jobs.ts";
import { databaseUrl } from "../db/stack-env.ts";
import { insertTransaction, newMembers, testUnit, uniqueName, waitEarned, waitFor, withTestEngine } from "./helpers.ts";

let db: pg.Client;
withTestEngine((client) => (db = client));
let pool: pg.Pool;
let env: JobEnv;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: databaseUrl(), max: 2 });
  env = { pool, store: undefined as never, log: { info: () => undefined, warn: () => undefined, error: () => undefined } as never };
});
afterAll(async () => {
  // Retire this file's definitions: later files' members get none of them.
  await pool?.query("update benefit_definitions set status = 'archived' where key like 'bg-%' and status = 'published'");
  await pool?.end();
});

/** A published definition; returns its key. */
async function define(columns: Record<string, unknown>) {
  const row = {
    key: uniqueName("bg").toLowerCase().replace(/[^a-z0-9-]/g, "-"), version: 1, status: "published", name: "引擎测试权益",
    kind: "gift", value: 1, uses_per_period: 2, period: "month", validity_days: 31,
    issuing_unit_id: (await db.query("select id from business_units where code = 'mall'")).rows[0].id, ...columns,
  };
  const names = Object.keys(row);
  await db.query(
    `insert into benefit_definitions (${names.join(", ")}) values (${names.map((_, i) => `$${i + 1}`).join(", ")})`,
    Object.values(row).map((v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? JSON.stringify(v) : v)),
  );
  return row.key;
}
const grantsOf = async (defKey: string, members: string[]) =>
  (await db.query(
    "select member_id, source, source_ref, period_key, uses_left, valid_until from benefit_grants where definition_key = $1 and member_id = any($2::uuid[]) order by member_id, period_key",
    [defKey, members])).rows;
/** The month (01-12) and the first day of next month in the business time zone. */
async function businessMonth() {
  return (await db.query(
    `select to_char(now() at time zone private.business_time_zone(), 'MM') as month,
            ((date_trunc('month', now() at time zone private.business_time_zone()) + interval '1 month 1 day')
              at time zone private.business_time_zone()) as next_month`)).rows[0] as { month: string; next_month: Date };
}

describe("tier benefits", () => {
  it("the cron grants each member holding the tier once per period, however often it runs", async () => {
    const gold = await newMembers(db, 3, "gold");
    const silver = await newMembers(db, 1, "silver");
    const defKey = await define({ grant_on_tiers: ["gold"] });
    await runBenefitGrants(env);
    await runBenefitGrants(env);
    const { month, next_month } = await businessMonth();
    let grants = await grantsOf(defKey, [...gold, ...silver]);
    // The definition came after the members registered: the cron made these.
    expect(grants).toHaveLength(3);
    expect(grants.every((g) => g.source === "tier" && g.period_key.endsWith(`-${month}`) && g.uses_left === 2)).toBe(true);
    // The next period renews it, once (the tier part of the job, for these members: the whole job would expire
    // every grant of this month in the shared test database).
    for (let i = 0; i < 2; i++) await db.query("select private.grant_tier_benefits($1, $2::uuid[])", [next_month, [...gold, ...silver]]);
    grants = await grantsOf(defKey, [...gold, ...silver]);
    expect(grants).toHaveLength(6);
    expect(new Set(grants.map((g) => g.period_key)).size).toBe(2);
  });

  it("reaching the tier through a purchase grants at once, and the cron adds nothing", async () => {
    const unit = await testUnit(db, { kind: "mall" });
    const defKey = await define({ grant_on_tiers: ["gold"] });
    const [m] = await newMembers(db, 1);
    const threshold = (await db.query("select growth_threshold from tiers where code = 'gold'")).rows[0].growth_threshold as number;
    const id = await insertTransaction(db, m, unit, threshold + 1);
    await waitEarned(db, [id]);
    const grants = await waitFor("the tier grant", async () => {
      const rows = await grantsOf(defKey, [m]);
      return rows.length ? rows : undefined;
    });
    expect(grants).toHaveLength(1);
    await runBenefitGrants(env);
    await db.query("select private.grant_benefits_after_earn(array[$1]::uuid[])", [id]);
    expect(await grantsOf(defKey, [m])).toHaveLength(1);
  });
});

describe("birthday benefits", () => {
  it("members in their birthday month get one grant a year, valid until the month ends; others none", async () => {
    const { month } = await businessMonth();
    const other = month === "06" ? "07" : "06";
    const born = await newMembers(db, 2, "standard", { birthday: `1990-${month}-15` });
    const notBorn = await newMembers(db, 1, "standard", { birthday: `1990-${other}-15` });
    const defKey = await define({ grant_in_birthday_month: true, period: "year", uses_per_period: 1 });
    await runBenefitGrants(env);
    await runBenefitGrants(env);
    const grants = await grantsOf(defKey, [...born, ...notBorn]);
    expect(grants.map((g) => g.member_id).sort()).toEqual([...born].sort());
    const year = (await db.query("select to_char(now() at time zone private.business_time_zone(), 'YYYY') as y")).rows[0].y;
    expect(grants.every((g) => g.source === "birthday" && g.source_ref === `birthday:${year}`)).toBe(true);
    const { next_month } = await businessMonth();
    expect(grants.every((g) => (g.valid_until as Date).getTime() < (next_month as Date).getTime())).toBe(true);
  });
});

describe("transaction benefits", () => {
  it("a qualifying purchase grants once through the earn job; a rerun grants nothing more; a smaller one none", async () => {
    const unit = await testUnit(db, { kind: "mall" });
    const code = (await db.query("select code from business_units where id = $1", [unit])).rows[0].code;
    const defKey = await define({
      kind: "coupon", value: 2000, uses_per_period: 1, period: "once", validity_days: 30, accepting_unit_codes: ["hotel"],
      grant_on_transaction: { and: [{ "==": [{ var: "transaction.business_unit" }, code] }, { ">=": [{ var: "transaction.amount" }, 300] }] },
    });
    const [m] = await newMembers(db, 1);
    const big = await insertTransaction(db, m, unit, 300);
    const small = await insertTransaction(db, m, unit, 299.99);
    await waitEarned(db, [big, small]);
    const grants = await waitFor("the coupon", async () => {
      const rows = await grantsOf(defKey, [m]);
      return rows.length ? rows : undefined;
    });
    expect(grants).toEqual([expect.objectContaining({ source: "transaction", source_ref: big, period_key: "once", uses_left: 1 })]);
    await db.query("select private.grant_benefits_after_earn(array[$1, $2]::uuid[])", [big, small]);
    await db.query("select private.grant_benefits_after_earn(array[$1, $2]::uuid[])", [big, small]);
    expect(await grantsOf(defKey, [m])).toHaveLength(1);
  });

  it("clients cannot run the engine's grants", async () => {
    for (const sql of ["select public.run_benefit_grants()", "select private.grant_transaction_benefits('{}')"]) {
      await db.query("begin");
      try {
        await db.query("set local role authenticated");
        const error = await db.query(sql).then(() => null, (e: pg.DatabaseError) => e);
        expect(error?.code, sql).toBe("42501");
      } finally {
        await db.query("rollback");
      }
    }
  });
});
