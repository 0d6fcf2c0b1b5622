import { PostgrestClient } from "@supabase/postgrest-js";
import type { CrudFilter } from "@refinedev/core";
import { describe, expect, it } from "vitest";
import { applyFilters, escapeLike, orFilter, quoteValue } from "./postgrest-filters";

const HOSTILE = ["a,b", "(x)", "星河,(酒店)", "v1.2", 'say "hi"', "it's", "100%", "a_b", "back\\slash", "or(name.eq.x)", "  "];

/** The query string supabase-js would send for these filters on `members`. */
function queryOf(filters: CrudFilter[], columnOf?: (field: string, asJson: boolean) => string) {
  const query = new PostgrestClient("http://db.invalid").from("members").select("*");
  const built = applyFilters(query, filters, columnOf) as unknown as { url: URL };
  return new URLSearchParams(built.url.search);
}

/** Splits an or=(...) body at its top-level commas the way PostgREST does: quotes and parentheses protect. */
function members(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted && c === "\\") {
      current += c + body[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (!quoted && c === "(") depth++;
    if (!quoted && c === ")") depth--;
    if (!quoted && depth === 0 && c === ",") {
      out.push(current);
      current = "";
    } else current += c;
  }
  out.push(current);
  return out;
}

/** Reads a quoted value back as PostgREST does. */
const unquote = (quoted: string) => quoted.slice(1, -1).replace(/\\(.)/g, "$1");

describe("postgrest filters", () => {
  it("quotes values so that they read back unchanged", () => {
    for (const value of HOSTILE) expect(unquote(quoteValue(value))).toBe(value);
  });

  it("escapes LIKE wildcards so that they match literally", () => {
    expect(escapeLike("100%_\\")).toBe("100\\%\\_\\\\");
  });

  it("keeps every member of a search group whole, whatever the text", () => {
    for (const value of HOSTILE.filter((v) => v.trim())) {
      const body = orFilter(["member_no", "name", "phone"].map((field) => ({ field, operator: "contains" as const, value })))!;
      const parts = members(body);
      expect(parts).toHaveLength(3);
      for (const [index, field] of ["member_no", "name", "phone"].entries()) {
        const prefix = `${field}.ilike.`;
        expect(parts[index].startsWith(prefix)).toBe(true);
        expect(unquote(parts[index].slice(prefix.length))).toBe(`%${escapeLike(value)}%`);
      }
    }
  });

  it("sends a search group as one or=(...) parameter", () => {
    const params = queryOf([{ operator: "or", value: [{ field: "name", operator: "contains", value: "星河,(酒店)" }, { field: "phone", operator: "contains", value: "星河,(酒店)" }] }]);
    expect(params.get("or")).toBe('(name.ilike."%星河,(酒店)%",phone.ilike."%星河,(酒店)%")');
  });

  it("sends single conditions through the query builder, encoded", () => {
    const params = queryOf([
      { field: "name", operator: "eq", value: 'a,b ("c")' },
      { field: "code", operator: "contains", value: "50%" },
      { field: "kind", operator: "in", value: ["mall", "a,b"] },
      { field: "deleted_at", operator: "null", value: true },
    ]);
    expect(params.get("name")).toBe('eq.a,b ("c")');
    expect(params.get("code")).toBe("ilike.%50\\%%");
    expect(params.get("kind")).toBe('in.("mall","a,b")');
    expect(params.get("deleted_at")).toBe("is.null");
  });

  it("drops empty conditions and empty groups", () => {
    const params = queryOf([{ operator: "or", value: [] }, { field: "name", operator: "contains", value: "" }]);
    expect([...params.keys()]).toEqual(["select"]);
  });

  it("maps fields to columns (JSON paths for custom entities) and nests groups", () => {
    const columnOf = (field: string, asJson: boolean) => (asJson ? `data->${field}` : `data->>${field}`);
    const params = queryOf(
      [
        { field: "size", operator: "gte", value: 3 },
        { operator: "or", value: [{ field: "title", operator: "contains", value: "a.b" }, { operator: "and", value: [{ field: "open", operator: "eq", value: true }, { field: "title", operator: "eq", value: "x)" }] }] },
      ],
      columnOf,
    );
    expect(params.get("data->size")).toBe("gte.3");
    expect(params.get("or")).toBe('(data->>title.ilike."%a.b%",and(data->open.eq."true",data->>title.eq."x)"))');
  });
});
