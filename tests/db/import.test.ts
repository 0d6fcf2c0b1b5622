/**
 * Bulk import through PostgREST as signed-in staff: 10,000 members with 20 bad rows (the same 20 found by the
 * browser's checks and by the server), a dry run that writes nothing, a real run submitted twice and twice at
 * the same moment that writes each row once, transactions through record_transaction, point adjustments as
 * approval requests, unit scoping and clear refusals.
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IMPORT_MAX_BATCH_ROWS, IMPORT_MAX_FILE_NAME_LENGTH, IMPORT_MAX_ROWS } from "../../core/enums/index.ts";
import { autoMap, batches, IMPORT_SEND_ROWS, importTargets, prepareRows, targetFields, type ImportTarget, type PreparedRow } from "../../core/import/index.ts";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { demoEmail, signedIn, superuser } from "./stack-env.ts";

let db: pg.Client;
let staff: SupabaseClient;
let manager: SupabaseClient;
let mall: string;
let hotel: string;
let targets: ImportTarget[];
const { key, newMember, units } = ledgerHelpers("import", () => db);
const run = Math.random().toString(36).slice(2, 8);

interface BatchAnswer {
  inserted: number; updated: number; unchanged: number; submitted: number; failed: number; repeated: number;
  errors: { row: number; code: string; detail: Record<string, unknown> }[];
}

async function createImport(client: SupabaseClient, args: Record<string, unknown>) {
  const { data, error } = await client.rpc("create_import", { p_idempotency_key: key("imp"), p_file_name: "会员.csv", ...args });
  if (error) throw Object.assign(new Error(error.message), error);
  return data as { id: string; status: string };
}

async function submitAll(client: SupabaseClient, importId: string, rows: PreparedRow[]) {
  const total: BatchAnswer = { inserted: 0, updated: 0, unchanged: 0, submitted: 0, failed: 0, repeated: 0, errors: [] };
  for (const batch of batches(rows, IMPORT_SEND_ROWS)) {
    const { data, error } = await client.rpc("import_batch", { p_import_id: importId, p_rows: batch });
    if (error) throw Object.assign(new Error(error.message), error);
    const answer = data as BatchAnswer;
    for (const k of ["inserted", "updated", "unchanged", "submitted", "failed", "repeated"] as const) total[k] += answer[k];
    total.errors.push(...answer.errors);
  }
  return total;
}

const target = (k: string) => targets.find((t) => t.key === k)!;

beforeAll(async () => {
  db = await superuser();
  ({ mall, hotel } = await units());
  staff = (await signedIn(demoEmail("staff"))).client; // mall staff
  manager = (await signedIn("mall.manager@demo.test")).client;
  const forms = (await db.query("select key, schema from form_definitions where status = 'published'")).rows;
  const entities = (await db.query("select key, title, title_en, schema, source_table, permissions from entity_definitions where status = 'published'")).rows;
  targets = importTargets(forms, entities);
});

afterAll(async () => {
  await db.end();
});

describe("bulk import", () => {
  it("states its limits once: private.import_limits() is core/enums", async () => {
    const { rows } = await db.query("select private.import_limits() as l");
    expect(rows[0].l).toEqual({ max_batch_rows: IMPORT_MAX_BATCH_ROWS, max_rows: IMPORT_MAX_ROWS, max_file_name_length: IMPORT_MAX_FILE_NAME_LENGTH });
  });

  it("10,000 members with 20 bad rows: both checks report exactly those 20, the dry run writes nothing, the real run writes 9,980 once", async () => {
    const members = target("members");
    const headers = ["姓名", "手机号", "邮箱", "性别", "生日", "标签"];
    const bad = new Map<number, string[]>();
    const cells: string[][] = [];
    for (let i = 0; i < 10_000; i++) {
      const phone = `166${run.length}${String(parseInt(run, 36) % 1000).padStart(3, "0")}${String(i).padStart(4, "0")}`.slice(0, 11);
      const line = [`导入会员${i}`, phone, `m${i}.${run}@example.com`, i % 2 ? "female" : "male", "1990-05-17", "导入,测试"];
      // Every 500th row is bad, five kinds of fault four times each.
      if (i % 500 === 250) {
        const kind = bad.size % 5;
        if (kind === 0) line[1] = "12345";
        if (kind === 1) line[0] = "";
        if (kind === 2) line[2] = "不是邮箱";
        if (kind === 3) line[3] = "x";
        if (kind === 4) line[4] = "2020-02-30";
        bad.set(i + 1, line);
      }
      cells.push(line);
    }
    // Distinct phones but for the four bad rows sharing "12345".
    expect(new Set(cells.map((l) => l[1])).size).toBe(10_000 - 3);
    const mapping = autoMap(headers, targetFields(members));
    expect(mapping).toMatchObject({ name: 0, phone: 1, email: 2, gender: 3, birthday: 4, tags: 5 });

    // The browser's check finds the 20.
    const prepared = prepareRows(members, cells, mapping);
    expect(new Set(prepared.errors.map((e) => e.row))).toEqual(new Set(bad.keys()));
    expect(prepared.rows).toHaveLength(9_980);

    // The server, sent every row unchecked, finds the same 20 in a dry run and writes nothing.
    const everything = cells.map((line, i) => ({ row: i + 1, data: Object.fromEntries(
      Object.entries(mapping).filter(([, col]) => col !== undefined && line[col!] !== "")
        .map(([field, col]) => [field, field === "tags" ? line[col!].split(",") : line[col!]])) }));
    const phones = cells.map((l) => l[1]);
    const countMembers = async () => Number((await db.query("select count(*) from members where phone = any($1)", [phones])).rows[0].count);
    const auditBefore = Number((await db.query("select count(*) from audit_log where table_name = 'members'")).rows[0].count);

    const dry = await createImport(staff, { p_target: "members", p_business_unit_id: mall, p_total_rows: 10_000, p_dry_run: true });
    const dryAnswer = await submitAll(staff, dry.id, everything);
    expect(dryAnswer.failed).toBe(20);
    expect(dryAnswer.inserted).toBe(9_980);
    expect(new Set(dryAnswer.errors.map((e) => e.row))).toEqual(new Set(bad.keys()));
    expect(dryAnswer.errors.find((e) => e.row === [...bad.keys()][0])!.code).toBe("schema_mismatch");
    expect(await countMembers()).toBe(0);
    expect(Number((await db.query("select count(*) from audit_log where table_name = 'members'")).rows[0].count)).toBe(auditBefore);
    expect((await db.query("select count(*)::int as n from import_rows where import_id = $1", [dry.id])).rows[0].n).toBe(0);

    // The real run, submitted by two tabs at the same moment and then once more: each row written once.
    const real = await createImport(staff, { p_target: "members", p_business_unit_id: mall, p_total_rows: 10_000, p_key_field: "phone" });
    const [a, b] = await Promise.all([submitAll(staff, real.id, everything), submitAll(staff, real.id, everything)]);
    const again = await submitAll(staff, real.id, everything);
    expect(a.inserted + b.inserted + again.inserted).toBe(9_980);
    expect(a.failed + b.failed + again.failed).toBe(20);
    expect(a.repeated + b.repeated).toBe(10_000);
    expect(again.repeated).toBe(10_000);
    expect(await countMembers()).toBe(9_980);
    const stored = (await db.query("select * from imports where id = $1", [real.id])).rows[0];
    expect(stored).toMatchObject({ inserted: 9_980, failed: 20, target: "members", business_unit_id: mall, dry_run: false });
    const homes = await db.query("select distinct home_business_unit_id as u from members where phone = any($1)", [phones]);
    expect(homes.rows).toEqual([{ u: mall }]);
    const failedRows = await db.query("select row_no, error ->> 'code' as code from import_rows where import_id = $1 and outcome = 'failed' order by row_no", [real.id]);
    expect(failedRows.rows.map((r) => r.row_no)).toEqual([...bad.keys()].sort((x, y) => x - y));

    // Finished: visible to the importer, audited, and closed to further batches.
    const { data: finished } = await staff.rpc("finish_import", { p_import_id: real.id });
    expect(finished.status).toBe("completed");
    const audit = await db.query("select count(*)::int as n from audit_log where table_name = 'imports' and record_id = $1", [real.id]);
    expect(audit.rows[0].n).toBeGreaterThan(1);
    const late = await staff.rpc("import_batch", { p_import_id: real.id, p_rows: everything.slice(0, 1) });
    expect(late.error?.hint).toBe("import_finished");
    const { data: mine } = await staff.from("imports").select("id, inserted").eq("id", real.id);
    expect(mine).toEqual([{ id: real.id, inserted: 9_980 }]);
    const { data: notTheirs } = await (await signedIn("hotel.staff@demo.test")).client.from("imports").select("id").eq("id", real.id);
    expect(notTheirs).toEqual([]);

    // An upsert by phone updates the existing member.
    const update = await createImport(staff, { p_target: "members", p_business_unit_id: mall, p_total_rows: 2 });
    const updated = await submitAll(staff, update.id, [
      { row: 1, data: { name: "改名会员", phone: phones[0] } },
      { row: 2, data: { name: `导入会员1`, phone: phones[1], email: `m1.${run}@example.com`, gender: "female", birthday: "1990-05-17", tags: ["导入", "测试"] } },
    ]);
    expect(updated).toMatchObject({ updated: 1, unchanged: 1, inserted: 0 });
    expect((await db.query("select name from members where phone = $1", [phones[0]])).rows[0].name).toBe("改名会员");
  }, 600_000);

  it("a staff login cannot import into another unit, nor use another's import; other roles cannot import members", async () => {
    await expect(createImport(staff, { p_target: "members", p_business_unit_id: hotel, p_total_rows: 1 })).rejects.toMatchObject({ hint: "import_not_allowed" });
    await expect(createImport(staff, { p_target: "transactions", p_business_unit_id: hotel, p_total_rows: 1 })).rejects.toMatchObject({ hint: "import_not_allowed" });
    const analyst = (await signedIn(demoEmail("analyst"))).client;
    await expect(createImport(analyst, { p_target: "members", p_business_unit_id: mall, p_total_rows: 1 })).rejects.toMatchObject({ hint: "import_not_allowed" });
    const mine = await createImport(staff, { p_target: "members", p_business_unit_id: mall, p_total_rows: 1 });
    const other = await manager.rpc("import_batch", { p_import_id: mine.id, p_rows: [{ row: 1, data: { name: "某人", phone: "16600000000" } }] });
    expect(other.error?.hint).toBe("import_unknown");
  });

  it("bad inputs get clear reason codes and change nothing", async () => {
    const refused = async (args: Record<string, unknown>) => {
      try {
        await createImport(staff, args);
        return "ok";
      } catch (error) {
        return (error as { hint?: string }).hint;
      }
    };
    expect(await refused({ p_target: "bogus", p_business_unit_id: mall, p_total_rows: 1 })).toBe("import_target_unknown");
    expect(await refused({ p_target: "members", p_business_unit_id: mall, p_total_rows: 0 })).toBe("import_too_many_rows");
    expect(await refused({ p_target: "members", p_business_unit_id: mall, p_total_rows: IMPORT_MAX_ROWS + 1 })).toBe("import_too_many_rows");
    expect(await refused({ p_target: "members", p_business_unit_id: mall, p_total_rows: 1, p_key_field: "email" })).toBe("import_key_invalid");
    expect(await refused({ p_target: "members", p_business_unit_id: mall, p_total_rows: 1, p_file_name: " " })).toBe("import_file_name_invalid");
    expect(await refused({ p_target: "members", p_business_unit_id: null, p_total_rows: 1 })).toBe("business_unit_missing");
    const imp = await createImport(staff, { p_target: "members", p_business_unit_id: mall, p_total_rows: 2 });
    const batch = async (rows: unknown) => (await staff.rpc("import_batch", { p_import_id: imp.id, p_rows: rows })).error?.hint;
    expect(await batch([])).toBe("import_batch_invalid");
    expect(await batch([{ row: 3, data: { name: "x" } }])).toBe("import_batch_invalid");
    expect(await batch([{ row: 1, data: {} }, { row: 1, data: {} }])).toBe("import_batch_invalid");
    expect(await batch([{ row: 1, data: "x" }])).toBe("import_batch_invalid");
    expect(await batch(Array.from({ length: IMPORT_MAX_BATCH_ROWS + 1 }, (_, i) => ({ row: i + 1, data: {} })))).toBe("import_batch_invalid");
    expect((await db.query("select count(*)::int as n from import_rows where import_id = $1", [imp.id])).rows[0].n).toBe(0);
    const { data } = await staff.rpc("import_batch", { p_import_id: imp.id, p_rows: [{ row: 1, data: { name: "缺手机号" } }] });
    expect(data.errors).toEqual([expect.objectContaining({ row: 1, code: "import_key_missing" })]);
    // Nobody writes the tables directly.
    const direct = await staff.from("imports").insert({ target: "members", file_name: "x", total_rows: 1, idempotency_key: "direct-insert-1" });
    expect(direct.error).not.toBeNull();
  });

  it("transactions go through record_transaction (the engine earns them), once per order; rows of another unit are refused", async () => {
    const member = await newMember();
    const phone = (await db.query("select phone from members where id = $1", [member])).rows[0].phone;
    const transactions = target("transactions");
    const at = new Date(Date.now() - 3_600_000).toISOString();
    const { rows, errors } = prepareRows(transactions, [
      [phone, `IMP-${run}-1`, "88.50", at],
      [phone, `IMP-${run}-2`, "120", at],
      [phone, `IMP-${run}-3`, "-5", at],
    ], { member_phone: 0, order_no: 1, amount: 2, occurred_at: 3 }, { defaults: { business_unit_code: "mall" } });
    expect(errors.map((e) => [e.row, e.field, e.code])).toEqual([[3, "amount", "exclusiveMinimum"]]);
    const imp = await createImport(staff, { p_target: "transactions", p_business_unit_id: mall, p_total_rows: 4, p_file_name: "流水.xlsx" });
    const answer = await submitAll(staff, imp.id, [...rows, { row: 4, data: { ...rows[0].data, order_no: `IMP-${run}-4`, business_unit_code: "hotel" } }]);
    expect(answer).toMatchObject({ inserted: 2, failed: 1 });
    expect(answer.errors).toEqual([expect.objectContaining({ row: 4, code: "import_unit_mismatch" })]);
    expect((await submitAll(staff, imp.id, rows)).repeated).toBe(2);
    const recorded = await db.query("select order_no, amount::text, channel from transactions where member_id = $1 order by order_no", [member]);
    expect(recorded.rows).toEqual([
      { order_no: `IMP-${run}-1`, amount: "88.50", channel: "import" },
      { order_no: `IMP-${run}-2`, amount: "120.00", channel: "import" },
    ]);
    // The same orders in a new import are recognised (one transaction per order number).
    const again = await createImport(staff, { p_target: "transactions", p_business_unit_id: mall, p_total_rows: 2 });
    expect(await submitAll(staff, again.id, rows)).toMatchObject({ unchanged: 2, inserted: 0 });
  });

  it("point adjustments become approval requests on the points-adjustment flow, never points", async () => {
    const member = await newMember();
    const phone = (await db.query("select phone from members where id = $1", [member])).rows[0].phone;
    const adjustments = target("point_adjustments");
    expect(targetFields(adjustments).find((f) => f.key === "member_phone")?.required).toBe(true);
    const { rows, errors } = prepareRows(adjustments, [
      [phone, "200", "customer_compensation", "停车场排队补偿积分"],
      [phone, "5000", "offline_event", "线下活动签到积分奖励"],
      [phone, "abc", "other", "无效的积分"],
    ], { member_phone: 0, points: 1, reason_category: 2, reason: 3 });
    expect(errors.map((e) => [e.row, e.code])).toEqual([[3, "type"]]);
    const imp = await createImport(staff, { p_target: "point_adjustments", p_business_unit_id: mall, p_total_rows: 3 });
    expect(await submitAll(staff, imp.id, rows)).toMatchObject({ submitted: 2, failed: 0 });
    expect((await submitAll(staff, imp.id, rows)).repeated).toBe(2);
    const requests = await db.query(
      "select r.status, (r.data ->> 'points')::int as points, (select count(*)::int from approval_tasks t where t.request_id = r.id) as tasks from approval_requests r where r.member_id = $1 order by points",
      [member]);
    expect(requests.rows.map((r) => [r.status, r.points])).toEqual([["pending", 200], ["pending", 5000]]);
    expect((await db.query("select count(*)::int as n from ledger_entries where member_id = $1", [member])).rows[0].n).toBe(0);
  });

  it("custom entity records: upsert by a chosen field, each record checked by its schema, only by roles that create them", async () => {
    const admin = (await signedIn(demoEmail("admin"))).client;
    const entityKey = `imp_shops_${run}`;
    const schema = { type: "object", required: ["code", "name"], properties: {
      code: { type: "string", title: "商户编号", minLength: 2 }, name: { type: "string", title: "商户名称" }, area: { type: "number", title: "面积", minimum: 0 } } };
    expect((await admin.from("entity_definitions").insert({ key: entityKey, version: 1, title: "导入商户", schema,
      permissions: { list: ["staff", "manager"], create: ["manager"], edit: ["manager"], delete: [] } })).error).toBeNull();
    expect((await admin.rpc("publish_entity", { p_key: entityKey, p_version: 1 })).error).toBeNull();
    try {
      await expect(createImport(staff, { p_target: `entity:${entityKey}`, p_business_unit_id: null, p_total_rows: 1 })).rejects.toMatchObject({ hint: "import_not_allowed" });
      await expect(createImport(manager, { p_target: `entity:${entityKey}`, p_business_unit_id: null, p_total_rows: 1, p_key_field: "nope" })).rejects.toMatchObject({ hint: "import_key_invalid" });
      const first = await createImport(manager, { p_target: `entity:${entityKey}`, p_business_unit_id: null, p_total_rows: 3, p_key_field: "code" });
      expect(await submitAll(manager, first.id, [
        { row: 1, data: { code: "S1", name: "一号店", area: 80 } },
        { row: 2, data: { code: "S2", name: "二号店" } },
        { row: 3, data: { code: "S3", name: "三号店", area: -1 } },
      ])).toMatchObject({ inserted: 2, failed: 1, errors: [expect.objectContaining({ row: 3, code: "schema_mismatch" })] });
      const second = await createImport(manager, { p_target: `entity:${entityKey}`, p_business_unit_id: null, p_total_rows: 2, p_key_field: "code" });
      expect(await submitAll(manager, second.id, [{ row: 1, data: { code: "S1", name: "一号旗舰店" } }, { row: 2, data: { code: "S2", name: "二号店" } }]))
        .toMatchObject({ updated: 1, unchanged: 1, inserted: 0 });
      const records = await db.query("select data from entity_records where entity_key = $1 order by data ->> 'code'", [entityKey]);
      expect(records.rows.map((r) => r.data)).toEqual([{ code: "S1", name: "一号旗舰店", area: 80 }, { code: "S2", name: "二号店" }]);
    } finally {
      await db.query("begin");
      await db.query("set local session_replication_role = replica");
      await db.query("delete from entity_records where entity_key = $1", [entityKey]);
      await db.query("delete from entity_definitions where key = $1", [entityKey]);
      await db.query("commit");
    }
  });
});
