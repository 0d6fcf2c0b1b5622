/**
 * Dashboard definitions through the API as the demo users: the seeded standard dashboards, who reads and
 * who writes which (private to the owner, shared with all staff; analysts build, admins edit shared ones),
 * structural refusals with their reason codes that write nothing, and the shared versioning lifecycle.
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DashboardDefinition } from "../../core/dashboards/types.ts";
import { signedIn, superuser } from "./stack-env.ts";

const RUN = Date.now().toString(36);
const SEEDED = ["member-analysis", "points-overview", "tier-comparison"];
const USERS = {
  admin: "admin@demo.test", staff: "staff@demo.test", manager: "manager@demo.test", director: "director@demo.test", analyst: "analyst@demo.test",
} as const;
type User = keyof typeof USERS;

let db: pg.Client;
const as = {} as Record<User, SupabaseClient>;
const ids = {} as Record<User, string>;
const made: string[] = [];

beforeAll(async () => {
  db = await superuser();
  for (const [name, email] of Object.entries(USERS) as [User, string][]) {
    const { client, session } = await signedIn(email);
    as[name] = client;
    ids[name] = session.user.id;
  }
});
afterAll(async () => {
  // Published versions are never deleted: skip the triggers to remove this run's dashboards.
  await db.query("begin");
  await db.query("set local session_replication_role = replica");
  await db.query("delete from dashboard_definitions where key = any($1) or key like $2", [made, `t-${RUN}-%`]);
  await db.query("commit");
  await db?.end();
});

const definition = (title: string, widgets: unknown[] = [widget("a")]): DashboardDefinition =>
  ({ title: { "zh-CN": `测试看板 ${title}`, en: `Test dashboard ${title}` }, defaults: { range: "last_30_days", grain: "day" }, widgets }) as DashboardDefinition;
const widget = (id: string, extra: Record<string, unknown> = {}) =>
  ({ id, metric: "points_flow", chart: "bar", layout: { x: 0, y: 0, w: 6, h: 4 }, ...extra });

async function save(user: User, key: string | null, def: unknown, visibility = "private") {
  const result = await as[user].rpc("save_dashboard", { p_key: key, p_definition: def, p_visibility: visibility });
  if (result.data?.key) made.push(result.data.key);
  return result;
}
const visibleKeys = async (user: User) => {
  const { data, error } = await as[user].from("dashboard_definitions").select("key").eq("status", "published");
  expect(error).toBeNull();
  return (data ?? []).map((r) => r.key as string);
};
const versionCount = async () => Number((await db.query("select count(*) from dashboard_definitions")).rows[0].count);

describe("the standard dashboards", () => {
  it("are seeded from schemas/dashboards: published, shared, without owner", async () => {
    const { rows } = await db.query(
      "select key, visibility, owner_id, origin from dashboard_definitions where status = 'published' and key = any($1) order by key",
      [SEEDED],
    );
    expect(rows).toEqual(SEEDED.map((key) => ({ key, visibility: "shared", owner_id: null, origin: "file" })));
  });

  it("every role reads the shared ones", async () => {
    for (const user of Object.keys(USERS) as User[]) expect(await visibleKeys(user)).toEqual(expect.arrayContaining(SEEDED));
  });

  it("an anonymous caller reads none", async () => {
    const { anonClient } = await import("./stack-env.ts");
    const { data } = await (await anonClient()).from("dashboard_definitions").select("key");
    expect(data ?? []).toEqual([]);
  });
});

describe("a dashboard of the analyst's own", () => {
  let key: string;

  it("is saved private, version 1 published, owned by the analyst; only the analyst reads it", async () => {
    const { data, error } = await save("analyst", null, definition("私有"));
    expect(error).toBeNull();
    expect(data).toMatchObject({ version: 1, status: "published", owner_id: ids.analyst, visibility: "private", origin: "ui" });
    key = data.key;
    expect(await visibleKeys("analyst")).toContain(key);
    for (const user of ["admin", "director", "manager", "staff"] as User[]) expect(await visibleKeys(user)).not.toContain(key);
  });

  it("shared by the analyst as a new version, the old one archived; every role reads it", async () => {
    const { data, error } = await save("analyst", key, definition("共享"), "shared");
    expect(error).toBeNull();
    expect(data).toMatchObject({ key, version: 2, status: "published", owner_id: ids.analyst, visibility: "shared" });
    const { rows } = await db.query("select version, status from dashboard_definitions where key = $1 order by version", [key]);
    expect(rows).toEqual([{ version: 1, status: "archived" }, { version: 2, status: "published" }]);
    for (const user of Object.keys(USERS) as User[]) expect(await visibleKeys(user)).toContain(key);
  });

  it("once shared, an admin edits it; the owner stays the analyst", async () => {
    const { data, error } = await save("admin", key, definition("管理员改"), "shared");
    expect(error).toBeNull();
    expect(data).toMatchObject({ version: 3, owner_id: ids.analyst });
  });

  it("directors, managers and staff cannot change it", async () => {
    for (const user of ["director", "manager", "staff"] as User[]) {
      const { error } = await save(user, key, definition("不行"), "shared");
      expect(error?.hint).toBe("dashboard_builder_only");
    }
    expect((await db.query("select max(version) as v from dashboard_definitions where key = $1", [key])).rows[0].v).toBe(3);
  });

  it("a published version is never edited: the API changes no row, SQL refuses", async () => {
    const { data } = await as.analyst.from("dashboard_definitions").update({ visibility: "private" }).eq("key", key).eq("version", 3).select();
    expect(data).toEqual([]);
    await expect(db.query("update dashboard_definitions set definition = $2 where key = $1 and version = 3", [key, definition("x")]))
      .rejects.toMatchObject({ hint: "definition_frozen" });
  });

  it("archived by its owner, it leaves every list", async () => {
    const { data, error } = await as.analyst.rpc("archive_dashboard", { p_key: key });
    expect(error).toBeNull();
    expect(data).toBe(1);
    expect(await visibleKeys("analyst")).not.toContain(key);
  });

  it("every version written leaves an audit row", async () => {
    const { rows } = await db.query(
      `select count(*)::int as n from audit_log a join dashboard_definitions d on a.record_id = d.id::text
       where a.table_name = 'dashboard_definitions' and d.key = $1`,
      [key],
    );
    expect(rows[0].n).toBeGreaterThanOrEqual(6);
  });
});

describe("who may write", () => {
  it("an admin's private dashboard is the admin's alone; the analyst cannot change it", async () => {
    const { data } = await save("admin", null, definition("管理员私有"));
    expect(data).toMatchObject({ owner_id: ids.admin, visibility: "private" });
    expect(await visibleKeys("analyst")).not.toContain(data.key);
    const { error } = await save("analyst", data.key, definition("改别人的"));
    expect(error?.hint).toBe("dashboard_not_yours");
  });

  it("the analyst cannot change a seeded (ownerless) dashboard", async () => {
    const { error } = await save("analyst", "points-overview", definition("改标准看板"), "shared");
    expect(error?.hint).toBe("dashboard_not_yours");
  });

  it("a draft written straight into the table keeps its owner: another owner is refused", async () => {
    const key = `t-${RUN}-forged`;
    const forged = await as.analyst.from("dashboard_definitions").insert({ key, version: 1, definition: definition("伪造"), owner_id: ids.admin });
    expect(forged.error?.hint).toBe("dashboard_owner_fixed");
    const own = await as.analyst.from("dashboard_definitions").insert({ key, version: 1, definition: definition("草稿") }).select().single();
    expect(own.error).toBeNull();
    expect(own.data).toMatchObject({ status: "draft", owner_id: ids.analyst });
    const published = await as.analyst.rpc("publish_dashboard", { p_key: key, p_version: 1 });
    expect(published.error).toBeNull();
    expect(published.data).toMatchObject({ status: "published" });
    const taken = await as.admin.from("dashboard_definitions").insert({ key, version: 2, definition: definition("抢"), owner_id: ids.admin });
    expect(taken.error?.hint).toBe("dashboard_owner_fixed");
  });

  it("staff cannot write a draft", async () => {
    const { error } = await as.staff.from("dashboard_definitions").insert({ key: `t-${RUN}-staff`, version: 1, definition: definition("员工") });
    expect(error?.hint).toBe("dashboard_builder_only");
  });

  it("visibility is private or shared", async () => {
    const { error } = await save("analyst", null, definition("公开"), "public");
    expect(error?.hint).toBe("dashboard_visibility_invalid");
  });
});

describe("saves at the same moment", () => {
  it("each becomes its own version; exactly one is published", async () => {
    const { data } = await save("analyst", null, definition("并发 0"));
    const saves = await Promise.all(Array.from({ length: 6 }, async (_, i) => (await signedIn(USERS.analyst)).client.rpc("save_dashboard", {
      p_key: data.key, p_definition: definition(`并发 ${i + 1}`), p_visibility: "private",
    })));
    expect(saves.map((r) => r.error)).toEqual(saves.map(() => null));
    const { rows } = await db.query("select version, status from dashboard_definitions where key = $1 order by version", [data.key]);
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(rows.filter((r) => r.status === "published")).toEqual([{ version: 7, status: "published" }]);
  });
});

describe("structural refusals", () => {
  const many = Array.from({ length: 25 }, (_, i) => widget(`w${i}`));
  const cases: [string, unknown, string][] = [
    ["not an object", [1, 2], "dashboard_definition_invalid"],
    ["no English title", { ...definition("x"), title: { "zh-CN": "只有中文" } }, "dashboard_title_invalid"],
    ["an unknown range", { ...definition("x"), defaults: { range: "forever", grain: "day" } }, "dashboard_defaults_invalid"],
    ["a grain of years", { ...definition("x"), defaults: { range: "last_30_days", grain: "year" } }, "dashboard_defaults_invalid"],
    ["no widgets", definition("x", []), "dashboard_widgets_count"],
    ["25 widgets", definition("x", many), "dashboard_widgets_count"],
    ["a widget without id", definition("x", [{ ...widget("a"), id: "" }]), "dashboard_widget_id_invalid"],
    ["an id used twice", definition("x", [widget("a"), widget("a")]), "dashboard_widget_id_repeated"],
    ["a malformed metric key", definition("x", [widget("a", { metric: "Points Flow" })]), "dashboard_widget_metric_invalid"],
    ["a malformed chart key", definition("x", [widget("a", { chart: "bar; drop" })]), "dashboard_widget_chart_invalid"],
    ["a widget title in one language", definition("x", [widget("a", { title: { en: "Only English" } })]), "dashboard_widget_title_invalid"],
    ["a measure that is no key", definition("x", [widget("a", { measures: ["issued", 3] })]), "dashboard_widget_fields_invalid"],
    ["a malformed series", definition("x", [widget("a", { series: "Unit!" })]), "dashboard_widget_fields_invalid"],
    ["past the 12th column", definition("x", [widget("a", { layout: { x: 10, y: 0, w: 4, h: 4 } })]), "dashboard_widget_layout_invalid"],
    ["a fractional width", definition("x", [widget("a", { layout: { x: 0, y: 0, w: 2.5, h: 4 } })]), "dashboard_widget_layout_invalid"],
    ["a negative row", definition("x", [widget("a", { layout: { x: 0, y: -1, w: 2, h: 4 } })]), "dashboard_widget_layout_invalid"],
    ["no layout", definition("x", [{ id: "a", metric: "points_flow", chart: "bar" }]), "dashboard_widget_layout_invalid"],
  ];
  for (const [name, def, code] of cases) {
    it(`${name}: ${code}, nothing written`, async () => {
      const before = await versionCount();
      const { error } = await save("analyst", null, def);
      expect(error?.hint).toBe(code);
      expect(error?.code).toBe("22023");
      expect(await versionCount()).toBe(before);
    });
  }

  it("a definition over 64 KB is refused", async () => {
    const { error } = await save("analyst", null, { ...definition("大"), description: { "zh-CN": "说".repeat(70_000), en: "x" } });
    expect(error?.hint).toBe("dashboard_definition_invalid");
  });
});
