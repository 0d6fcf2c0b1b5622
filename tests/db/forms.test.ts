import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { demoEmail, signedIn, superuser } from "./stack-env.ts";

// Form versions are never deleted once published, so this suite works on its own form key and
// leaves the real member form alone except for one clearly named test member.
describe("JSON Schema validation in the database", () => {
  let db: pg.Client;
  beforeAll(async () => {
    db = await superuser();
  });
  afterAll(async () => {
    await db.end();
  });

  const errors = async (schema: object, value: unknown) =>
    (
      await db.query(
        "select coalesce(array_agg((e ->> 'path') || ': ' || (e ->> 'text')), '{}') as e from jsonb_array_elements(private.json_schema_errors($1, $2)) e",
        [schema, JSON.stringify(value)],
      )
    ).rows[0].e;

  it.each([
    [{ type: "object", required: ["plate"] }, {}, ["/plate: is required"]],
    [{ type: "object", properties: { n: { type: "integer", minimum: 1 } } }, { n: 0 }, ["/n: must be >= 1"]],
    [{ type: "object", properties: { n: { type: "integer" } } }, { n: 1.5 }, ["/n: must be of type integer"]],
    [{ type: "object", properties: { s: { type: "string", maxLength: 2 } } }, { s: "长字符串" }, ["/s: must have at most 2 characters"]],
    [{ type: "object", properties: { s: { enum: ["a", "b"] } } }, { s: "c" }, ['/s: must be one of ["a", "b"]']],
    [{ type: "object", properties: { d: { type: "string", format: "date" } } }, { d: "2024/01/01" }, ["/d: must be a date (YYYY-MM-DD)"]],
    [{ type: "object", properties: { e: { type: "string", format: "email" } } }, { e: "nope" }, ["/e: must be an email address"]],
    [{ type: "object", additionalProperties: false, properties: {} }, { x: 1 }, ["/x: is not an allowed field"]],
    [{ type: "object", properties: { a: { type: "array", items: { type: "number" } } } }, { a: [1, "2"] }, ["/a/1: must be of type number"]],
    [{ type: "object", properties: { m: { type: "number", multipleOf: 0.01 } } }, { m: 1.005 }, ["/m: must be a multiple of 0.01"]],
    [{ type: "object", properties: { m: { type: "number", multipleOf: 0.01 } } }, { m: 12.34 }, []],
  ])("%j with %j → %j", async (schema, value, expected) => {
    expect(await errors(schema, value)).toEqual(expected);
  });
});

describe("schema refusals are machine-readable", () => {
  it("carry HINT schema_mismatch and, in DETAIL, every violation with ajv's keyword and params", async () => {
    const db = await superuser();
    try {
      const schema = { type: "object", required: ["plate"], properties: { n: { type: "integer", minimum: 1 } } };
      const failure = await db
        .query("select private.assert_json_schema($1, $2, 'test')", [schema, JSON.stringify({ n: 0 })])
        .catch((error: { hint?: string; detail?: string }) => error);
      expect(failure).toMatchObject({ hint: "schema_mismatch" });
      expect(JSON.parse((failure as { detail: string }).detail).errors).toEqual([
        { path: "/plate", keyword: "required", params: { missingProperty: "plate" }, text: "is required" },
        { path: "/n", keyword: "minimum", params: { comparison: ">=", limit: 1 }, text: "must be >= 1" },
      ]);
    } finally {
      await db.end();
    }
  });
});

describe("member form versions", () => {
  let db: pg.Client;
  const phone = `166${String(Date.now()).slice(-8)}`;
  beforeAll(async () => {
    db = await superuser();
  });
  const bare = `167${String(Date.now()).slice(-8)}`;
  afterAll(async () => {
    await db.query("delete from members where phone = any($1)", [[phone, bare]]);
    await db.end();
  });

  it("a published version cannot be edited in place", async () => {
    await expect(
      db.query("update form_definitions set schema = '{\"type\":\"object\"}' where key = 'member' and status = 'published'"),
    ).rejects.toThrow(/create a new version instead/);
  });

  it("members posted straight to REST that break the published schema are refused, naming the field", async () => {
    const { client } = await signedIn(demoEmail("staff"));
    const bad = await client
      .from("members")
      .insert({ name: "表单测试", phone, email: "not-an-email" })
      .select();
    // the table's own check catches the email first; a custom field shows the schema check
    expect(bad.error).not.toBeNull();
    const badCustom = await client
      .from("members")
      .insert({ name: "表单测试", phone, tags: ["这个标签实在是太长了超过了二十个字符的限制啊啊啊"] })
      .select();
    expect(badCustom.error?.message).toBe("member does not match its schema: /tags/0: must have at most 20 characters");
    const count = await db.query("select count(*)::int as n from members where phone = $1", [phone]);
    expect(count.rows[0].n).toBe(0);

    const good = await client.from("members").insert({ name: "表单测试", phone }).select("form_version").single();
    expect(good.error).toBeNull();
    const published = await db.query("select version from form_definitions where key = 'member' and status = 'published'");
    expect(good.data!.form_version).toBe(published.rows[0].version);
  });

  it("a member registered with only the form's fields gets the entry tier and the registering staff's unit", async () => {
    const { client } = await signedIn(demoEmail("staff"));
    const { data, error } = await client.from("members").insert({ name: "登记默认值", phone: bare }).select("tier_id, home_business_unit_id").single();
    expect(error).toBeNull();
    const expected = await db.query(
      `select (select id from tiers order by rank limit 1) as tier_id,
              (select business_unit_id from role_assignments ra join staff_profiles sp using (user_id)
                where sp.email = $1 and business_unit_id is not null) as unit_id`,
      [demoEmail("staff")],
    );
    expect(expected.rows[0].unit_id).not.toBeNull();
    expect(data).toEqual({ tier_id: expected.rows[0].tier_id, home_business_unit_id: expected.rows[0].unit_id });
  });

  it("only administrators publish forms", async () => {
    const { client } = await signedIn(demoEmail("staff"));
    const { error } = await client.rpc("publish_form", { p_key: "member", p_version: 1 });
    expect(error?.message).toBe("only administrators may publish forms");
  });
});
