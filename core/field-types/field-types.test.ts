import { describe, expect, it } from "vitest";
import { FIELD_TYPE_MODULES, fieldType, fieldTypeOf, PALETTE_TYPES, type FormatContext } from "./index.ts";

const context: FormatContext = {
  yes: "是",
  no: "否",
  optionLabel: (v) => ({ a: "甲", b: "乙" })[String(v)],
  money: (n) => `¥${n.toFixed(2)}`,
  count: (n) => n.toLocaleString("en-US"),
  dateTime: (s) => `at ${s}`,
};

describe("field type registry", () => {
  it("recognises what each palette type writes", () => {
    for (const name of PALETTE_TYPES) {
      const type = fieldType(name);
      const schema = type.fragment({ options: [{ value: "a" }] });
      const ui = type.widget ? { "ui:widget": type.widget } : {};
      expect({ name, recognised: fieldTypeOf(schema, ui).name }).toEqual({ name, recognised: name });
    }
  });

  it.each([
    [{ type: "string", enum: ["a"] }, {}, "select"],
    [{ type: "array", items: { type: "string", enum: ["a"] } }, {}, "multiselect"],
    [{ type: "array", items: { type: "string" } }, {}, "raw"],
    [{ type: "boolean" }, {}, "checkbox"],
    [{ type: "integer" }, {}, "number"],
    [{ type: "integer" }, { "ui:widget": "PointsWidget" }, "points"],
    [{ type: "string", format: "uri" }, {}, "text"],
    [{ type: "string", format: "email" }, { "ui:widget": "textarea" }, "email"],
    [{ type: "string", pattern: "^[0-9a-f-]{36}$" }, { "ui:widget": "ReferenceWidget", "ui:options": { resource: "tiers" } }, "reference"],
    [undefined, { "ui:widget": "BusinessUnitWidget" }, "business_unit"],
    [undefined, {}, "raw"],
    [{ type: "object" }, {}, "raw"],
  ])("%j with %j is %s", (schema, ui, name) => {
    expect(fieldTypeOf(schema as never, ui).name).toBe(name);
  });

  it("formats values per type", () => {
    expect(fieldType("money").format(12.5, context)).toBe("¥12.50");
    expect(fieldType("points").format(12345, context)).toBe("12,345");
    expect(fieldType("checkbox").format(false, context)).toBe("否");
    expect(fieldType("select").format("b", context)).toBe("乙");
    expect(fieldType("multiselect").format(["a", "c"], context)).toBe("甲、c");
    expect(fieldType("datetime").format("2026-03-10T02:00:00Z", context)).toBe("at 2026-03-10T02:00:00Z");
    expect(fieldType("raw").format({ x: 1 }, context)).toBe('{"x":1}');
  });

  it("names the resource a referencing type points to", () => {
    expect(fieldType("member").references?.({})).toBe("members");
    expect(fieldType("business_unit").references?.({})).toBe("business_units");
    expect(fieldType("reference").references?.({ "ui:options": { resource: "tiers" } })).toBe("tiers");
    expect(FIELD_TYPE_MODULES.filter((m) => m.references).map((m) => m.name)).toEqual(["member", "business_unit", "reference"]);
  });
});
