import { describe, expect, it } from "vitest";
import memberSchema from "../../schemas/forms/member.schema.json";
import memberUi from "../../schemas/forms/member.ui.json";
import { localizeUiSchema } from "../forms/localize";
import {
  docProblems, docToDefinition, definitionToDoc, FIELD_TYPES, insertField, moveField, newField, removeField, updateField,
  type BuilderDoc, type PaletteType,
} from "./model";

const empty = (): BuilderDoc => ({ title: "测试", title_en: "Test", columns: 2, fields: [] });
const labels = (type: string, language = "zh-CN") => ({ zh: type, en: type, language, option: (n: string) => (language === "en" ? `Option ${n}` : `选项${n}`) });
const add = (doc: BuilderDoc, type: PaletteType) => insertField(doc, newField(type, doc, labels(type)));
/** The option names a select shows in a language. */
const optionNames = (doc: BuilderDoc, language: string) => {
  const { ui_schema } = docToDefinition(doc);
  const key = doc.fields[0].key;
  return (localizeUiSchema(ui_schema, language)[key] as Record<string, unknown>)["ui:enumNames"];
};

describe("form builder model", () => {
  it("every palette type round-trips through JSON Schema + uiSchema", () => {
    let doc = empty();
    for (const type of FIELD_TYPES) doc = add(doc, type);
    const first = docToDefinition(doc);
    const again = docToDefinition(definitionToDoc(first.schema, first.ui_schema, { title: doc.title, title_en: doc.title_en }));
    expect(again).toEqual(first);
    expect(first.schema.properties!.money_1).toMatchObject({ type: "number", multipleOf: 0.01 });
    expect(first.schema.properties!.points_1).toMatchObject({ type: "integer" });
    expect(first.ui_schema.money_1).toEqual({ "ui:widget": "MoneyWidget" });
    expect((first.ui_schema["ui:options"] as { groups: unknown[] }).groups).toHaveLength(1);
  });

  it("a conditional field lives in an if/then branch and is never required at the top level", () => {
    let doc = add(add(empty(), "select"), "text");
    const [select, text] = doc.fields;
    doc = updateField(doc, text.id, { required: true, visibleIf: { field: select.key, value: "b" } });
    const { schema } = docToDefinition(doc);
    expect(schema.required).toBeUndefined();
    expect(schema.properties).not.toHaveProperty(text.key);
    expect(schema.allOf).toEqual([
      {
        if: { properties: { [select.key]: { const: "b" } }, required: [select.key] },
        then: { properties: { [text.key]: expect.objectContaining({ type: "string" }) }, required: [text.key] },
      },
    ]);
    // renaming the controlling field follows into the condition; removing it drops the condition
    doc = updateField(doc, select.id, { key: "kind" });
    expect(doc.fields[1].visibleIf?.field).toBe("kind");
    expect(removeField(doc, select.id).fields[0].visibleIf).toBeUndefined();
  });

  it("reads the seeded member form, keeping what it cannot edit", () => {
    const doc = definitionToDoc(memberSchema as never, memberUi, { title: "会员登记" });
    expect(doc.fields.map((f) => [f.key, f.type])).toEqual([
      ["name", "text"], ["phone", "text"], ["gender", "select"], ["birthday", "date"], ["email", "email"], ["tags", "raw"], ["licence_plate", "text"],
    ]);
    const { schema, ui_schema } = docToDefinition(doc);
    expect(schema.properties).toEqual(memberSchema.properties);
    expect(schema.required).toEqual(memberSchema.required);
    expect(ui_schema.gender).toEqual(memberUi.gender);
  });

  it("moves fields and reports bad keys", () => {
    let doc = add(add(add(empty(), "text"), "number"), "date");
    doc = moveField(doc, 2, 0);
    expect(doc.fields.map((f) => f.type)).toEqual(["date", "text", "number"]);
    doc = updateField(doc, doc.fields[1].id, { key: "Bad Key" });
    doc = updateField(doc, doc.fields[2].id, { key: "date_1" });
    expect(docProblems(doc).map((p) => p.problem)).toEqual(["key", "duplicate"]);
    expect(docProblems(updateField(doc, doc.fields[1].id, { key: "id" }), true).map((p) => p.problem)).toContain("reserved");
  });

  it("an option named in one language shows that name in the other, never a made-up default", () => {
    // an admin working in Chinese names the options of a new select in Chinese only
    let doc = add(empty(), "select");
    const rename = (d: BuilderDoc, patch: (i: number) => object) =>
      updateField(d, d.fields[0].id, { options: d.fields[0].options!.map((o, i) => ({ ...o, ...patch(i) })) });
    doc = rename(doc, (i) => ({ label: ["室内", "室外"][i] }));
    expect(optionNames(doc, "zh-CN")).toEqual(["室内", "室外"]);
    expect(optionNames(doc, "en")).toEqual(["室内", "室外"]);

    // and one working in English names them in English only: Chinese users see those names
    let en = insertField(empty(), newField("select", empty(), labels("select", "en")));
    en = rename(en, (i) => ({ label_en: ["Indoor", "Outdoor"][i] }));
    expect(optionNames(en, "en")).toEqual(["Indoor", "Outdoor"]);
    expect(optionNames(en, "zh-CN")).toEqual(["Indoor", "Outdoor"]);
  });
});
