import { describe, expect, it } from "vitest";
import { auditDiff } from "./diff";

describe("auditDiff", () => {
  it("lists every field once, marking changed, added and removed ones", () => {
    const rows = auditDiff({ name: "甲", phone: "13800000000", tags: ["a"], gone: 1 }, { name: "乙", phone: "13800000000", tags: ["a", "b"], added: null });
    expect(rows).toEqual([
      { field: "name", before: "甲", after: "乙", changed: true },
      { field: "phone", before: "13800000000", after: "13800000000", changed: false },
      { field: "tags", before: '["a"]', after: '["a","b"]', changed: true },
      { field: "gone", before: "1", after: "", changed: true },
      { field: "added", before: "", after: "null", changed: true },
    ]);
  });

  it("treats a missing image (insert, delete, export) as empty", () => {
    expect(auditDiff(null, { id: 1 })).toEqual([{ field: "id", before: "", after: "1", changed: true }]);
    expect(auditDiff({ id: 1 }, undefined)).toEqual([{ field: "id", before: "1", after: "", changed: true }]);
    expect(auditDiff(null, null)).toEqual([]);
  });
});
