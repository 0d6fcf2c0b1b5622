/**
 * Machine-readable refusals: every `raise exception` in the migrations names a reason code (HINT) that
 * the app translates in both languages, and a refusal reaches supabase-js with its code and values.
 */
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import en from "../../app/i18n/en.json";
import zhCN from "../../app/i18n/zh-CN.json";
import { ROOT } from "../../stack/config.ts";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { demoEmail, signedIn, superuser } from "./stack-env.ts";

const MIGRATIONS = path.join(ROOT, "supabase", "migrations");

/** Each `raise exception ... ;` statement of the migrations, with its file. */
function raiseStatements() {
  const found: { file: string; statement: string }[] = [];
  for (const file of fs.readdirSync(MIGRATIONS).filter((f) => f.endsWith(".sql"))) {
    const sql = fs.readFileSync(path.join(MIGRATIONS, file), "utf8");
    // A statement ends at the first semicolon outside a string literal.
    for (const match of sql.matchAll(/raise exception\s+'(?:[^']|'')*'(?:'(?:[^']|'')*'|[^';])*;/g)) {
      found.push({ file, statement: match[0] });
    }
  }
  return found;
}

describe("reason codes", () => {
  const statements = raiseStatements();
  const codes = new Set(statements.map(({ statement }) => /hint = '([a-z0-9_]+)'/.exec(statement)?.[1]).filter(Boolean) as string[]);

  it("every refusal raised in SQL carries a reason code", () => {
    expect(statements.length).toBeGreaterThan(50);
    expect(statements.filter(({ statement }) => !/hint = '[a-z0-9_]+'/.test(statement))).toEqual([]);
  });

  it("every reason code has a text in Chinese and in English", () => {
    const missing = (reasons: Record<string, string>) => [...codes].filter((code) => !reasons[code]);
    expect(missing(zhCN.errors.reasons)).toEqual([]);
    expect(missing(en.errors.reasons)).toEqual([]);
  });
});

describe("a refusal over the API", () => {
  let db: pg.Client;
  const { key, newMember, units } = ledgerHelpers("reason-codes", () => db);
  beforeAll(async () => {
    db = await superuser();
  });
  afterAll(async () => {
    await db.end();
  });

  it("reaches supabase-js with its SQLSTATE, its reason code in hint and its values as JSON in details", async () => {
    const { mall } = await units();
    const member = await newMember();
    const { client } = await signedIn(demoEmail("staff"));
    const { error } = await client.rpc("redeem_points", {
      p_member_id: member, p_business_unit_id: mall, p_points: 5, p_idempotency_key: key("redeem"),
    });
    expect(error).toMatchObject({ code: "P0001", hint: "insufficient_points" });
    expect(JSON.parse(error!.details)).toEqual({ balance: 0, requested: 5 });
  });
});
