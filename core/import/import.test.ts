import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_ADJUSTMENT_POINTS, MAX_BACKDATE_DAYS, PHONE_PATTERN } from "../enums/index.ts";
import { autoMap, batches, convertCell, importTargets, mayImport, normalizeHeader, prepareRows, targetFields, unmappedRequired } from "./index.ts";

const form = (file: string) => JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "../../schemas/forms", file), "utf8"));
const forms = [
  { key: "member", schema: form("member.schema.json") },
  { key: "transaction", schema: form("transaction.schema.json") },
  { key: "points-compensation", schema: form("points-compensation.schema.json") },
];
const shops = {
  key: "shops", title: "商户", title_en: "Shops",
  schema: { type: "object", required: ["code", "name"], properties: {
    code: { type: "string", title: "商户编号", title_en: "Shop code", minLength: 1 },
    name: { type: "string", title: "商户名称", title_en: "Shop name" },
    area: { type: "number", title: "面积（平方米）", title_en: "Area (m²)", minimum: 0 },
    open: { type: "boolean", title: "营业中", title_en: "Open" },
  } },
  permissions: { create: ["manager"] },
};
const targets = importTargets(forms, [shops, { ...shops, key: "members", source_table: "members" }]);
const target = (key: string) => targets.find((t) => t.key === key)!;
const NOW = Date.parse("2026-12-03T08:00:00Z");

describe("import targets", () => {
  it("one registry: the built-in targets from their published forms, then each custom entity (not built-in tables)", () => {
    expect(targets.map((t) => t.key)).toEqual(["members", "transactions", "point_adjustments", "entity:shops"]);
    expect(target("members").keyFields).toEqual(["phone", "member_no"]);
    expect(importTargets([forms[1]], []).map((t) => t.key)).toEqual(["transactions"]);
  });

  it("a point adjustment names its member by phone instead of the form's member picker", () => {
    const fields = targetFields(target("point_adjustments"));
    expect(fields.find((f) => f.key === "member_id")).toBeUndefined();
    expect(fields[0]).toEqual({ key: "member_phone", title: "会员手机号", title_en: "Member mobile phone", required: true });
    expect(target("point_adjustments").schema.properties!.member_phone.pattern).toBe(PHONE_PATTERN);
  });

  it("follows who creates the target's rows", () => {
    expect(mayImport(target("members"), ["staff"])).toBe(true);
    expect(mayImport(target("members"), ["director"])).toBe(false);
    expect(mayImport(target("transactions"), ["director"])).toBe(true);
    expect(mayImport(target("entity:shops"), ["staff"])).toBe(false);
    expect(mayImport(target("entity:shops"), ["manager"])).toBe(true);
    expect(mayImport(target("entity:shops"), ["admin"])).toBe(true);
    expect(mayImport(target("transactions"), ["analyst", "finance"])).toBe(false);
  });
});

describe("column mapping", () => {
  it("matches by key, Chinese or English label, ignoring case, spaces and a unit in brackets; each column once", () => {
    expect(normalizeHeader(" 消费金额（元） ")).toBe("消费金额");
    const fields = targetFields(target("transactions"));
    const mapping = autoMap(["Order No.", "会员手机号", "消费金额", "AMOUNT", "purchased at", "备注"], fields);
    expect(mapping).toEqual({ member_phone: 1, business_unit_code: undefined, order_no: 0, amount: 2, channel: undefined, occurred_at: 4 });
    expect(unmappedRequired(fields, mapping)).toEqual(["business_unit_code"]);
    expect(autoMap(["phone", "phone"], targetFields(target("members"))).phone).toBe(0);
  });
});

describe("cell conversion", () => {
  it("turns CSV text and spreadsheet values into the schema's types, leaving what cannot be converted for the check", () => {
    expect(convertCell("1,234.50", { type: "number" })).toBe(1234.5);
    expect(convertCell("¥88", { type: "number" })).toBe(88);
    expect(convertCell("abc", { type: "integer" })).toBe("abc");
    expect(convertCell("", { type: "number" })).toBeUndefined();
    expect(convertCell(13800138000, { type: "string" })).toBe("13800138000");
    expect(convertCell("  王五 ", { type: "string" })).toBe("王五");
    expect(convertCell("是", { type: "boolean" })).toBe(true);
    expect(convertCell("否", { type: "boolean" })).toBe(false);
    expect(convertCell("VIP，常客;VIP2", { type: "array", items: { type: "string" } })).toEqual(["VIP", "常客", "VIP2"]);
    expect(convertCell("2024/1/5", { type: "string", format: "date" })).toBe("2024-01-05");
    expect(convertCell("1990年5月17日", { type: "string", format: "date" })).toBe("1990-05-17");
    // exceljs gives a date cell as the wall-clock time in UTC components.
    expect(convertCell(new Date(Date.UTC(1990, 4, 17)), { type: "string", format: "date" })).toBe("1990-05-17");
    // A time without a zone is business time (China): 10:00 there is 02:00 UTC.
    expect(convertCell("2026-12-01 10:00", { type: "string", format: "date-time" })).toBe("2026-12-01T02:00:00.000Z");
    expect(convertCell(new Date(Date.UTC(2026, 11, 1, 10, 0)), { type: "string", format: "date-time" })).toBe("2026-12-01T02:00:00.000Z");
    expect(convertCell("2026-12-01T10:00:00+08:00", { type: "string", format: "date-time" })).toBe("2026-12-01T10:00:00+08:00");
    expect(convertCell({ richText: [{ text: "李" }, { text: "雷" }] }, { type: "string" })).toBe("李雷");
  });
});

describe("row checks", () => {
  it("reports every fault of a bad row under its field, and passes good rows on with their row number", () => {
    const members = target("members");
    const mapping = autoMap(["姓名", "手机号", "邮箱", "性别", "生日", "标签"], targetFields(members));
    const { rows, errors } = prepareRows(members, [
      ["张三", "13800138000", "z@example.com", "male", "1990-05-17", "VIP,常客"],
      ["", "12345", "not-mail", "x", "2020-02-30", ""],
      ["李四", "13900139000", "", "", "", ""],
    ], mapping, { firstRow: 1, now: NOW });
    expect(rows).toEqual([
      { row: 1, data: { name: "张三", phone: "13800138000", email: "z@example.com", gender: "male", birthday: "1990-05-17", tags: ["VIP", "常客"] } },
      { row: 3, data: { name: "李四", phone: "13900139000" } },
    ]);
    expect(errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [2, "name", "required"], [2, "phone", "pattern"], [2, "email", "format"], [2, "birthday", "format"], [2, "gender", "enum"],
    ]);
  });

  it("checks the server's limits from core/enums: the back-dating window, the future and adjustment sizes", () => {
    const transactions = target("transactions");
    const mapping = { member_phone: 0, order_no: 1, amount: 2, occurred_at: 3 };
    const defaults = { business_unit_code: "mall" };
    const old = new Date(NOW - (MAX_BACKDATE_DAYS + 1) * 86_400_000).toISOString();
    const future = new Date(NOW + 3_600_000).toISOString();
    const { rows, errors } = prepareRows(transactions, [
      ["13800138000", "A1", "19.99", new Date(NOW - 60_000).toISOString()],
      ["13800138000", "A2", "10", old],
      ["13800138000", "A3", "10", future],
      ["13800138000", "A4", "10.001", future],
    ], mapping, { now: NOW, defaults });
    expect(rows.map((r) => r.row)).toEqual([1]);
    expect(rows[0].data).toMatchObject({ amount: 19.99, business_unit_code: "mall" });
    expect(errors.map((e) => [e.row, e.code])).toEqual([[2, "occurred_too_old"], [3, "occurred_in_future"], [4, "multipleOf"]]);
    expect(errors[0].params).toEqual({ max_days: MAX_BACKDATE_DAYS });

    const adjustments = target("point_adjustments");
    const checked = prepareRows(adjustments, [["13800138000", "0", "other", "原因说明足够长"]],
      { member_phone: 0, points: 1, reason_category: 2, reason: 3 }, { now: NOW });
    expect(checked.errors).toEqual([{ row: 1, field: "points", code: "adjustment_points_invalid", params: { max: MAX_ADJUSTMENT_POINTS } }]);
  });

  it("batches keep every row once, in order", () => {
    const rows = Array.from({ length: 1001 }, (_, i) => i);
    const parts = batches(rows, 250);
    expect(parts.map((p) => p.length)).toEqual([250, 250, 250, 250, 1]);
    expect(parts.flat()).toEqual(rows);
  });
});
