import { describe, expect, it } from "vitest";
import { dbErrorsToErrorSchema } from "./db-errors";

const refusal = (errors: object[]) => ({
  message: "parking does not match its schema: ...",
  code: "23514",
  hint: "schema_mismatch",
  details: JSON.stringify({ errors }),
});

describe("dbErrorsToErrorSchema", () => {
  const errors = [
    { path: "/plate", keyword: "required", params: { missingProperty: "plate" }, text: "is required" },
    { path: "/spots", keyword: "minimum", params: { comparison: ">=", limit: 0 }, text: "must be >= 0" },
    { path: "/tags/0", keyword: "maxLength", params: { limit: 20 }, text: "must have at most 20 characters" },
    { path: "/x", keyword: "additionalProperties", params: { additionalProperty: "x" }, text: "is not an allowed field" },
  ];

  it("puts each violation under its top-level field, worded by keyword and params in Chinese", () => {
    expect(dbErrorsToErrorSchema(refusal(errors), "zh-CN")).toEqual({
      plate: { __errors: ["必填"] },
      spots: { __errors: ["不能小于 0"] },
      tags: { __errors: ["最多 20 个字符"] },
      x: { __errors: ["不是此表单的字段"] },
    });
  });

  it("keeps the server's English wording for the English interface", () => {
    expect(dbErrorsToErrorSchema(refusal(errors.slice(0, 1)), "en")).toEqual({ plate: { __errors: ["is required"] } });
  });

  it("ignores refusals of another kind and malformed details", () => {
    expect(dbErrorsToErrorSchema({ message: "x", hint: "insufficient_points", details: "{}" }, "zh-CN")).toBeUndefined();
    expect(dbErrorsToErrorSchema({ message: "x", hint: "schema_mismatch", details: "not json" }, "zh-CN")).toBeUndefined();
    expect(dbErrorsToErrorSchema(null, "zh-CN")).toBeUndefined();
  });
});
