/**
 * The one lifecycle of versioned definitions (forms, entities, rules) and their sync from files:
 * created, unchanged, a new published version when the file changed, kept when the UI changed it; a
 * published version is never edited or deleted. Works on form keys of its own, removed afterwards.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncDefinition } from "../../stack/sync-definitions.ts";
import { demoEmail, signedIn, superuser } from "./stack-env.ts";

const RUN = Date.now().toString(36);
const KEY = `sync-test-${RUN}`;
const FORGED = `sync-forged-${RUN}`;

const form = (label: string) => ({
  title: `同步测试 ${label}`,
  title_en: `Sync test ${label}`,
  schema: { type: "object", properties: { note: { type: "string", title: label } } },
  ui_schema: {},
});
const source = { name: `forms/${KEY}`, file: "schemas/forms/sync-test.*.json" };

let db: pg.Client;
beforeAll(async () => {
  db = await superuser();
});
afterAll(async () => {
  // Published versions are never deleted: skip the triggers to remove this run's forms.
  await db.query("begin");
  await db.query("set local session_replication_role = replica");
  await db.query("delete from form_definitions where key = any($1)", [[KEY, FORGED]]);
  await db.query("commit");
  await db.end();
});

const versions = async (key: string) =>
  (await db.query("select version, status, origin, file_digest, title from form_definitions where key = $1 order by version", [key])).rows;

describe("definitions synced from files", () => {
  it("an absent key is created as version 1, published, made from the file", async () => {
    const synced = await syncDefinition(db, "form", KEY, form("一"), source);
    expect(synced).toEqual({ name: `forms/${KEY}`, outcome: "created", from: "schemas/forms/sync-test.*.json" });
    const [v1] = await versions(KEY);
    expect(v1).toMatchObject({ version: 1, status: "published", origin: "file", title: "同步测试 一" });
    expect(v1.file_digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it("the same file content is unchanged", async () => {
    expect((await syncDefinition(db, "form", KEY, form("一"), source)).outcome).toBe("unchanged");
    expect(await versions(KEY)).toHaveLength(1);
  });

  it("other file content publishes a new version; the previous one is archived, not overwritten", async () => {
    expect((await syncDefinition(db, "form", KEY, form("二"), source)).outcome).toBe("published v2");
    const rows = await versions(KEY);
    expect(rows.map((r) => [r.version, r.status, r.origin, r.title])).toEqual([
      [1, "archived", "file", "同步测试 一"],
      [2, "published", "file", "同步测试 二"],
    ]);
    expect(rows[0].file_digest).not.toBe(rows[1].file_digest);
  });

  it("every version a file sync writes leaves an audit row that says why", async () => {
    const { rows } = await db.query(
      `select a.action, a.reason from audit_log a join form_definitions f on a.record_id = f.id::text
       where a.table_name = 'form_definitions' and f.key = $1 order by a.id`,
      [KEY],
    );
    expect(rows.length).toBeGreaterThanOrEqual(3); // v1 created, v1 archived, v2 created
    expect(rows.every((r) => r.reason === "definition-file-sync")).toBe(true);
  });

  it("a published or archived version is never edited, reopened or deleted", async () => {
    await expect(db.query("update form_definitions set title = 'x' where key = $1 and version = 2", [KEY])).rejects.toThrow(
      /form .* version 2 is published: create a new version instead of editing it/,
    );
    await expect(db.query("update form_definitions set status = 'draft' where key = $1 and version = 2", [KEY])).rejects.toThrow(
      /cannot become a draft again/,
    );
    await expect(db.query("update form_definitions set status = 'published' where key = $1 and version = 1", [KEY])).rejects.toThrow(
      /archived and cannot be republished/,
    );
    await expect(db.query("delete from form_definitions where key = $1", [KEY])).rejects.toThrow(/stays as history/);
  });

  it("a key whose latest version was made in the UI is kept", async () => {
    const { client } = await signedIn(demoEmail("admin"));
    const draft = await client.from("form_definitions").insert({ key: KEY, version: 3, status: "draft", ...form("界面") }).select("origin").single();
    expect(draft.error).toBeNull();
    expect(draft.data).toEqual({ origin: "ui" });
    expect((await syncDefinition(db, "form", KEY, form("三"), source)).outcome).toBe("kept (changed in the UI)");
    expect((await versions(KEY)).map((r) => r.version)).toEqual([1, 2, 3]);
  });

  it("only the privileged sync marks a version as made from a file; publishing names a missing draft", async () => {
    const { client } = await signedIn(demoEmail("admin"));
    const forged = await client.from("form_definitions").insert({ key: FORGED, version: 1, status: "draft", origin: "file", ...form("伪造") });
    expect(forged.error?.code).toBe("42501");
    const missing = await client.rpc("publish_form", { p_key: KEY, p_version: 99 });
    expect(missing.error?.message).toBe(`form ${KEY} has no draft version 99`);
  });
});

describe("one lifecycle for every kind", () => {
  it("every kind's table has the lifecycle trigger, origin and file_digest, and a publish function", async () => {
    const { rows } = await db.query(`
      select k.kind, k.table_name::text as table_name,
             exists (select 1 from pg_trigger t where t.tgrelid = k.table_name and t.tgname = 'lifecycle'
                       and t.tgfoid = 'private.guard_definition_version'::regproc) as trigger,
             (select array_agg(a.attname::text order by a.attname) from pg_attribute a
               where a.attrelid = k.table_name and a.attname in ('origin', 'file_digest') and not a.attisdropped) as columns,
             to_regprocedure(format('public.publish_%s(text, int)', k.kind)) is not null as publish
      from private.definition_kinds k order by k.kind`);
    expect(rows).toEqual(
      [["approval_flow", "approval_flows"], ["benefit", "benefit_definitions"], ["dashboard", "dashboard_definitions"], ["entity", "entity_definitions"], ["form", "form_definitions"], ["rule", "rules"], ["segment", "segment_definitions"]].map(([kind, table]) => ({
        kind, table_name: table, trigger: true, columns: ["file_digest", "origin"], publish: true,
      })),
    );
  });
});
