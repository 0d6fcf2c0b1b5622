import type { SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "../../core/enums/index.ts";
import { demoEmail, signedIn, superuser } from "./stack-env.ts";

// One entity key per run: published definitions are never edited, so runs never collide.
const KEY = `t_${Date.now().toString(36)}`;
const clients = {} as Record<Role, SupabaseClient>;
let db: pg.Client;

const SCHEMA_V1 = {
  type: "object",
  required: ["name", "spots"],
  properties: {
    name: { type: "string", title: "名称", minLength: 1, maxLength: 20 },
    spots: { type: "integer", title: "车位数", minimum: 0 },
    fee: { type: "number", title: "时价", minimum: 0, multipleOf: 0.01 },
    kind: { type: "string", title: "类型", enum: ["indoor", "outdoor"] },
    phone: { type: "string", title: "电话", pattern: "^1[3-9][0-9]{9}$" },
    opened: { type: "string", title: "开业日期", format: "date" },
  },
  // a conditional field: shown (and required) only for outdoor lots; never required at the top
  allOf: [
    {
      if: { properties: { kind: { const: "outdoor" } }, required: ["kind"] },
      then: { properties: { cover: { type: "string", title: "雨棚", enum: ["yes", "no"] } }, required: ["cover"] },
    },
  ],
};
const PERMISSIONS = { list: ["staff", "manager", "analyst"], create: ["staff", "manager"], edit: ["manager"], delete: [] };

beforeAll(async () => {
  db = await superuser();
  for (const role of ROLES) {
    clients[role] = (await signedIn(demoEmail(role))).client;
  }
});

afterAll(async () => {
  // Published versions are never deleted: skip the triggers to remove this run's entity.
  await db.query("begin");
  await db.query("set local session_replication_role = replica");
  await db.query("delete from entity_records where entity_key = $1", [KEY]);
  await db.query("delete from entity_definitions where key = $1", [KEY]);
  await db.query("commit");
  await db.end();
});

describe("entity definitions", () => {
  it("only administrators write drafts and publish", async () => {
    const draft = { key: KEY, version: 1, title: "测试停车场", title_en: "Test lots", schema: SCHEMA_V1 };
    const byStaff = await clients.staff.from("entity_definitions").insert(draft);
    expect(byStaff.error?.code).toBe("42501");

    const { error } = await clients.admin.from("entity_definitions").insert({
      ...draft,
      ui_schema: { "ui:order": ["name", "spots", "kind", "cover", "*"] },
      list_columns: ["name", "spots", "kind"],
      search_fields: ["name"],
      filter_fields: ["kind"],
      default_sort: { field: "spots", order: "asc" },
      permissions: PERMISSIONS,
    });
    expect(error).toBeNull();
    const refused = await clients.staff.rpc("publish_entity", { p_key: KEY, p_version: 1 });
    expect(refused.error?.message).toBe("only administrators may publish entities");
    const published = await clients.admin.rpc("publish_entity", { p_key: KEY, p_version: 1 });
    expect(published.error).toBeNull();
    expect(published.data.status).toBe("published");
  });

  it("a published version is never edited in place", async () => {
    const viaApi = await clients.admin.from("entity_definitions").update({ title: "改名" }).eq("key", KEY).select();
    expect(viaApi.data).toEqual([]); // RLS: only drafts are editable
    await expect(db.query("update entity_definitions set title = 'x' where key = $1", [KEY])).rejects.toThrow(
      /create a new version instead of editing it/,
    );
  });

  it("refuses to publish list settings that name unknown fields or conditional required fields", async () => {
    const key = `${KEY}_bad`;
    await clients.admin.from("entity_definitions").insert({
      key,
      version: 1,
      title: "坏定义",
      schema: { type: "object", required: ["ghost"], properties: { a: { type: "string" } } },
      list_columns: ["nope"],
    });
    const { error } = await clients.admin.rpc("publish_entity", { p_key: key, p_version: 1 });
    expect(error?.message).toContain("list settings name unknown field nope");
    expect(error?.message).toContain("required field ghost must be a top-level field");
    await clients.admin.from("entity_definitions").delete().eq("key", key);
  });

  it("built-in entities are seeded from schemas/entities", async () => {
    const { data } = await clients.analyst.from("entity_definitions").select("key, source_table").eq("status", "published");
    expect(data).toEqual(
      expect.arrayContaining([
        { key: "members", source_table: "members" },
        { key: "business_units", source_table: "business_units" },
        { key: "tiers", source_table: "tiers" },
      ]),
    );
  });
});

describe("entity records through REST", () => {
  const insert = (role: Role, data: object) =>
    clients[role].from("entity_records").insert({ entity_key: KEY, data }).select("id, entity_version, data").maybeSingle();

  it("schema-invalid data is refused with a message naming each field, and nothing is stored", async () => {
    const before = await db.query("select count(*)::int as n from entity_records where entity_key = $1", [KEY]);
    const cases: [object, string][] = [
      [{ spots: 3 }, `${KEY} does not match its schema: /name: is required`],
      [{ name: "A", spots: -1 }, `${KEY} does not match its schema: /spots: must be >= 0`],
      [{ name: "A", spots: 1.5 }, `${KEY} does not match its schema: /spots: must be of type integer`],
      [{ name: "A", spots: 1, fee: 1.005 }, `${KEY} does not match its schema: /fee: must be a multiple of 0.01`],
      [{ name: "A", spots: 1, phone: "123" }, `${KEY} does not match its schema: /phone: must match pattern ^1[3-9][0-9]{9}$`],
      [{ name: "A", spots: 1, opened: "2026/01/01" }, `${KEY} does not match its schema: /opened: must be a date (YYYY-MM-DD)`],
      [{ name: "A", spots: 1, kind: "roof" }, `${KEY} does not match its schema: /kind: must be one of ["indoor", "outdoor"]`],
      [{ name: "A", spots: 1, kind: "outdoor" }, `${KEY} does not match its schema: /cover: is required`],
      [{ name: "A", spots: 1, plate: "x" }, `${KEY} does not match its schema: /plate: is not an allowed field`],
    ];
    for (const [data, message] of cases) {
      const { error } = await insert("staff", data);
      expect(error?.message, JSON.stringify(data)).toBe(message);
      expect(error?.code).toBe("23514");
    }
    const after = await db.query("select count(*)::int as n from entity_records where entity_key = $1", [KEY]);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it("valid data is stored with the published version, by whom, and audited", async () => {
    const { data, error } = await insert("staff", { name: "东区", spots: 120, kind: "outdoor", cover: "yes", fee: 5.5 });
    expect(error).toBeNull();
    expect(data!.entity_version).toBe(1);
    const row = await db.query("select created_by is not null as by, (select count(*)::int from audit_log where table_name = 'entity_records' and record_id = $1::text) as audits from entity_records where id = $1::uuid", [data!.id]);
    expect(row.rows[0]).toEqual({ by: true, audits: 1 });
  });

  it("RLS follows the entity's permissions per role", async () => {
    const analyst = await insert("analyst", { name: "分析师", spots: 1 });
    expect(analyst.error?.code).toBe("42501");
    const director = await clients.director.from("entity_records").select("id").eq("entity_key", KEY);
    expect(director.data).toEqual([]); // not in list
    const listed = await clients.analyst.from("entity_records").select("id").eq("entity_key", KEY);
    expect(listed.data?.length).toBe(1);

    const id = listed.data![0].id;
    const staffEdit = await clients.staff.from("entity_records").update({ data: { name: "改", spots: 1 } }).eq("id", id).select();
    expect(staffEdit.data).toEqual([]); // staff may not edit
    const managerEdit = await clients.manager
      .from("entity_records")
      .update({ data: { name: "东区", spots: 130, kind: "indoor" } })
      .eq("id", id)
      .select("data, updated_by")
      .single();
    expect(managerEdit.error).toBeNull();
    expect(managerEdit.data!.data.spots).toBe(130);
    const managerDelete = await clients.manager.from("entity_records").delete().eq("id", id).select();
    expect(managerDelete.data).toEqual([]); // delete: nobody but admins
  });

  it("records keep the version they were made with; a new version adds a field", async () => {
    const v2 = structuredClone(SCHEMA_V1) as typeof SCHEMA_V1 & { properties: Record<string, object> };
    v2.properties.plate = { type: "string", title: "车牌号", maxLength: 8 };
    const draft = await clients.admin
      .from("entity_definitions")
      .insert({ key: KEY, version: 2, title: "测试停车场", schema: v2, list_columns: ["name", "plate"], permissions: PERMISSIONS });
    expect(draft.error).toBeNull();
    expect((await clients.admin.rpc("publish_entity", { p_key: KEY, p_version: 2 })).error).toBeNull();

    const old = await clients.staff.from("entity_records").select("id, entity_version, data").eq("entity_key", KEY).single();
    expect(old.data!.entity_version).toBe(1);
    expect(old.data!.data.name).toBe("东区");

    const withPlate = await insert("staff", { name: "西区", spots: 10, plate: "沪A12345" });
    expect(withPlate.error).toBeNull();
    expect(withPlate.data!.entity_version).toBe(2);
    const tooLong = await insert("staff", { name: "西区", spots: 10, plate: "沪A123456789" });
    expect(tooLong.error?.message).toBe(`${KEY} does not match its schema: /plate: must have at most 8 characters`);

    // the old version is archived, not deleted: its record still validates against v1 when saved as v1
    const resaved = await clients.manager
      .from("entity_records")
      .update({ data: { ...old.data!.data, spots: 99 }, entity_version: 1 })
      .eq("id", old.data!.id)
      .select("entity_version")
      .single();
    expect(resaved.data?.entity_version).toBe(1);
    const notInV1 = await clients.manager
      .from("entity_records")
      .update({ data: { ...old.data!.data, plate: "沪A1" }, entity_version: 1 })
      .eq("id", old.data!.id);
    expect(notInV1.error?.message).toBe(`${KEY} does not match its schema: /plate: is not an allowed field`);
  });

  it("a record cannot be made with a draft version", async () => {
    await clients.admin.from("entity_definitions").insert({ key: KEY, version: 3, title: "草稿", schema: SCHEMA_V1, permissions: PERMISSIONS });
    const { error } = await clients.staff
      .from("entity_records")
      .insert({ entity_key: KEY, entity_version: 3, data: { name: "A", spots: 1 } });
    expect(error?.message).toBe(`entity ${KEY} version 3 is a draft: records are made with published versions`);
  });
});

describe("member form versions and custom fields", () => {
  // Done in one transaction that is rolled back: the shared member form is left as it was.
  it("a member saved with v1 still reads and validates after v2 adds a field", async () => {
    await db.query("begin");
    try {
      const form = await db.query("select version, schema, ui_schema from form_definitions where key = 'member' and status = 'published'");
      const v1 = form.rows[0];
      const tier = await db.query("select id from tiers order by rank limit 1");
      const phone = `167${String(Date.now()).slice(-8)}`;
      const member = await db.query(
        "insert into members (name, phone, tier_id) values ('版本测试', $1, $2) returning id, form_version",
        [phone, tier.rows[0].id],
      );
      expect(member.rows[0].form_version).toBe(v1.version);

      const v2 = structuredClone(v1.schema);
      v2.properties.licence_plate = { type: "string", title: "车牌号", title_en: "Licence plate", maxLength: 8 };
      await db.query(
        "insert into form_definitions (key, version, title, schema, ui_schema) values ('member', $1, '会员登记', $2, $3)",
        [v1.version + 1, v2, v1.ui_schema],
      );
      await db.query("select publish_form('member', $1)", [v1.version + 1]);

      const old = await db.query(
        "select form_version, jsonb_array_length(private.json_schema_errors($2, private.member_form_data(m))) as v2_errors, jsonb_array_length(private.json_schema_errors($3, private.member_form_data(m))) as v1_errors from members m where id = $1",
        [member.rows[0].id, v2, v1.schema],
      );
      expect(old.rows[0]).toEqual({ form_version: v1.version, v2_errors: 0, v1_errors: 0 });

      // saving the old member now uses v2; the new field is validated
      await db.query("savepoint bad_plate");
      await expect(
        db.query("update members set custom = '{\"licence_plate\": \"沪A123456789\"}' where id = $1", [member.rows[0].id]),
      ).rejects.toThrow("member does not match its schema: /licence_plate: must have at most 8 characters");
      await db.query("rollback to savepoint bad_plate");
      const saved = await db.query(
        "update members set custom = '{\"licence_plate\": \"沪A12345\"}' where id = $1 returning form_version, custom",
        [member.rows[0].id],
      );
      expect(saved.rows[0]).toEqual({ form_version: v1.version + 1, custom: { licence_plate: "沪A12345" } });
    } finally {
      await db.query("rollback");
    }
  });
});
