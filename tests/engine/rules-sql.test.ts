/**
 * Rule records in the database: publishing (admins only, shape-checked), published versions frozen,
 * supersession history, audit, row-level security of the engine's tables, and the SQL list of operations
 * kept equal to the evaluator's registry.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customOperations, validateRule } from "../../core/rules/index.ts";
import { eagerOperations, LAZY_OPERATIONS } from "../../core/rules/standard.ts";
import { anonClient, demoEmail, signedIn, superuser } from "../db/stack-env.ts";
import { publish, testUnit, uniqueName, retireTestUnits } from "./helpers.ts";

let db: pg.Client;

beforeAll(async () => {
  db = await superuser();
});
afterAll(async () => {
  if (db) await retireTestUnits(db);
  await db?.end();
});

describe("rule records", () => {
  it("the SQL operation list equals the evaluator's registry", async () => {
    const { rows } = await db.query("select private.rule_operations() as ops");
    const ts = [...LAZY_OPERATIONS, ...eagerOperations.keys(), ...Object.keys(customOperations)];
    expect([...rows[0].ops].sort()).toEqual([...new Set(ts)].sort());
  });

  it("the SQL shape check agrees with the TS validator on well-formed and hostile documents", async () => {
    const docs: unknown[] = [
      { floor: [{ var: "transaction.amount" }] }, [7, 3, 1], 10, "x", null,
      { if: [{ is_birthday_month: [{ var: "member.birthday" }, { var: "transaction.occurred_at" }] }, 1, 0] },
      { nope: [1] }, { "+": [1], "-": [1] }, {}, { var: "a.__proto__.b" }, { missing: ["a", "constructor"] },
      { in: [1, Array.from({ length: 1001 }, () => 0)] }, { "+": Array.from({ length: 1001 }, () => 0) },
    ];
    let nested: unknown = 1;
    for (let i = 0; i < 32; i++) nested = [nested];
    docs.push(nested, [nested]);
    for (const doc of docs) {
      const { rows } = await db.query("select private.rule_logic_problems($1::jsonb) as p", [JSON.stringify(doc)]);
      expect(rows[0].p.length === 0, JSON.stringify(doc).slice(0, 80)).toBe(validateRule(doc).ok);
    }
  });

  it("admins publish through the API; staff cannot; v2 supersedes v1 at its publish instant; history is frozen", async () => {
    const admin = await signedIn(demoEmail("admin"));
    const staff = await signedIn(demoEmail("staff"));
    const key = uniqueName("api");
    // kind tier: reserved, never evaluated, so this test changes nothing for other tests
    const draft = { key, version: 1, kind: "tier", name: "API rule", logic: "gold" };
    expect((await staff.client.from("rules").insert(draft)).error?.code).toBe("42501");
    expect((await admin.client.from("rules").insert({ ...draft, status: "published" })).error?.code).toBe("42501");
    expect((await admin.client.from("rules").insert(draft)).error).toBeNull();
    expect((await admin.client.from("rules").update({ logic: "silver" }).eq("key", key).eq("version", 1)).error).toBeNull();
    expect((await staff.client.rpc("publish_rule", { p_key: key, p_version: 1 })).error?.code).toBe("42501");
    const v1 = await admin.client.rpc("publish_rule", { p_key: key, p_version: 1 });
    expect(v1.error).toBeNull();
    expect(v1.data).toMatchObject({ status: "published", logic: "silver" });

    // Published: no edits (not even the superuser), no deletes, no republishing.
    await expect(db.query(`update rules set logic = '"x"' where key = $1 and version = 1`, [key])).rejects.toThrow(/create a new version/);
    await expect(db.query("delete from rules where key = $1", [key])).rejects.toThrow(/stays as history/);
    const edit = await admin.client.from("rules").update({ logic: "x" }).eq("key", key).eq("version", 1).select();
    expect(edit.data).toEqual([]);
    expect((await admin.client.rpc("publish_rule", { p_key: key, p_version: 1 })).error?.message).toMatch(/only a draft/);

    await admin.client.from("rules").insert({ ...draft, version: 2, logic: "diamond" });
    const v2 = await admin.client.rpc("publish_rule", { p_key: key, p_version: 2 });
    expect(v2.error).toBeNull();
    const { rows } = await db.query("select version, status, published_at, superseded_at from rules where key = $1 order by version", [key]);
    expect(rows.map((r) => r.status)).toEqual(["archived", "published"]);
    expect(rows[0].superseded_at).toEqual(rows[1].published_at);
    await expect(db.query("update rules set status = 'published', superseded_at = null where key = $1 and version = 1", [key]))
      .rejects.toThrow(/archived|superseded/);

    const audit = await db.query("select action from audit_log where table_name = 'rules' and after ->> 'key' = $1 order by id", [key]);
    expect(audit.rows.length).toBeGreaterThanOrEqual(5);

    const archived = await admin.client.rpc("archive_rule", { p_key: key });
    expect(archived.data).toMatchObject({ version: 2, status: "archived" });
  });

  it("the first rule published for a unit creates its rule set with the group's policy; a key keeps one kind and scope", async () => {
    const unit = (await db.query("insert into business_units (code, name, kind) values ($1, 'x', 'other') returning id", [uniqueName("ns")])).rows[0].id;
    try {
      const key = uniqueName("scope");
      await db.query("insert into rules (key, version, kind, business_unit_id, name, logic) values ($1, 1, 'earning', $2, 'x', '1')", [key, unit]);
      const admin = await signedIn(demoEmail("admin"));
      const published = await admin.client.rpc("publish_rule", { p_key: key, p_version: 1 });
      expect(published.error).toBeNull();
      const { rows: sets } = await db.query(
        `select u.combination, g.combination as group_combination from rule_sets u
         join rule_sets g on g.kind = u.kind and g.business_unit_id is null
         where u.kind = 'earning' and u.business_unit_id = $1`, [unit]);
      expect(sets).toHaveLength(1);
      expect(sets[0].combination).toBe(sets[0].group_combination);
      const audit = await db.query("select count(*)::int as n from audit_log where table_name = 'rule_sets' and after ->> 'business_unit_id' = $1", [unit]);
      expect(audit.rows[0].n).toBe(1);

      await expect(db.query("insert into rules (key, version, kind, name, logic) values ($1, 2, 'expiry', 'x', '1')", [key]))
        .rejects.toThrow(/same kind and scope/);
      await expect(db.query("insert into rules (key, version, kind, name, logic, business_unit_id) values ($1, 1, 'tagging', 'x', '1', $2)", [uniqueName("t"), unit]))
        .rejects.toThrow();

      // Without the group's set there is no policy to copy: refused with a reason code, nothing changed.
      const expiryKey = uniqueName("scope");
      await db.query("insert into rules (key, version, kind, business_unit_id, name, logic) values ($1, 1, 'expiry', $2, 'x', '30')", [expiryKey, unit]);
      await db.query("begin");
      try {
        await db.query("delete from rule_sets where kind = 'expiry' and business_unit_id is null");
        const refused = await db.query("select publish_rule($1, 1)", [expiryKey]).then(() => null, (e: pg.DatabaseError) => e);
        expect(refused?.hint).toBe("rule_set_missing");
      } finally {
        await db.query("rollback");
      }
      expect((await db.query("select status from rules where key = $1", [expiryKey])).rows[0].status).toBe("draft");
    } finally {
      await db.query("update business_units set active = false where id = $1", [unit]);
    }
  });

  it("a published rule's in-force history is exact: versions never overlap", async () => {
    const unit = await testUnit(db);
    const key = uniqueName("hist");
    for (let i = 1; i <= 3; i++) await publish(db, { key, unit, logic: i });
    const { rows } = await db.query(
      `select count(*)::int as overlaps from rules a join rules b on a.key = b.key and a.version < b.version
       where a.key = $1 and tstzrange(a.published_at, a.superseded_at) && tstzrange(b.published_at, b.superseded_at)`, [key]);
    expect(rows[0].overlaps).toBe(0);
  });
});

describe("row-level security of the engine's tables", () => {
  const TABLES = ["rule_sets", "rules", "rule_errors", "transaction_earnings", "notifications_outbox", "member_auto_tags", "what_if_runs", "engine_runs"];

  it.each(TABLES)("anon reads nothing from %s", async (table) => {
    const { data, error } = await (await anonClient()).from(table).select("*").limit(1);
    expect(data ?? []).toEqual([]);
    expect(error?.code).toBe("42501");
  });

  it("staff read rules and earnings but not the outbox; directors read the outbox; nobody writes earnings or errors", async () => {
    const staff = await signedIn(demoEmail("staff"));
    const director = await signedIn(demoEmail("director"));
    expect((await staff.client.from("rules").select("key").limit(1)).data?.length).toBe(1);
    expect((await staff.client.from("transaction_earnings").select("transaction_id").limit(1)).error).toBeNull();
    expect((await staff.client.from("notifications_outbox").select("id").limit(1)).data).toEqual([]);
    expect((await director.client.from("notifications_outbox").select("id").limit(1)).error).toBeNull();
    const admin = await signedIn(demoEmail("admin"));
    const txn = (await db.query("select id, member_id, business_unit_id from transactions limit 1")).rows[0];
    const forged = await admin.client.from("transaction_earnings").insert({
      transaction_id: txn.id, member_id: txn.member_id, business_unit_id: txn.business_unit_id, points: 1, outcome: "earned",
    });
    expect(forged.error?.code).toBe("42501");
    expect((await admin.client.rpc("request_expiry_run")).error).toBeNull();
  });
});
