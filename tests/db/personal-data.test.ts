/**
 * Personal data: directors and analysts read members masked (member_directory) and nothing of the raw
 * table; the roles that serve members read them in full; exports are audited. Plus the fences around it:
 * pgcrypto outside the API schema, an audit trail that cannot be truncated, and 404 for an unknown member.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERSONAL_DATA_ROLES, ROLES } from "../../core/enums/index.ts";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { roleSessions } from "./role-session.ts";
import { demoEmail, signedIn, superuser } from "./stack-env.ts";

let db: pg.Client;
let member: string;
let session: Awaited<ReturnType<typeof roleSessions>>;
const { newMember, units } = ledgerHelpers("personal-data", () => db);

beforeAll(async () => {
  db = await superuser();
  await units();
  session = await roleSessions(db);
  member = await newMember();
  await db.query("update members set phone = '13812345678', email = 'zhang.wei@example.com', birthday = '1990-05-17' where id = $1", [member]);
});

afterAll(async () => {
  await db?.end();
});

const directory = "select phone, email, birthday::text, birthday_month, personal_data_masked from member_directory where id = $1";

describe("member_directory", () => {
  it.each(ROLES.filter((role) => !PERSONAL_DATA_ROLES.includes(role)))("%s reads phone, email and birthday masked", async (role) => {
    const r = await session.attempt(role, directory, [member]);
    expect(r.ok && r.value.rows).toEqual([
      { phone: "138****5678", email: "z***@example.com", birthday: null, birthday_month: 5, personal_data_masked: true },
    ]);
  });

  it.each(PERSONAL_DATA_ROLES)("%s reads them in full", async (role) => {
    const r = await session.attempt(role, directory, [member]);
    expect(r.ok && r.value.rows).toEqual([
      { phone: "13812345678", email: "zhang.wei@example.com", birthday: "1990-05-17", birthday_month: 5, personal_data_masked: false },
    ]);
  });

  it.each(ROLES.filter((role) => !PERSONAL_DATA_ROLES.includes(role)))("%s reads no row of the members table itself", async (role) => {
    const r = await session.attempt(role, "select phone from members where id = $1", [member]);
    expect(r.ok && r.value.rows).toEqual([]);
  });

  it("anon reads nothing", async () => {
    const r = await session.attempt("anon", directory, [member]);
    expect(r.ok || r.error.code).toBe("42501");
  });
});

describe("exports", () => {
  it("an export writes an audit row naming who exported what", async () => {
    const { client, session: s } = await signedIn(demoEmail("analyst"));
    const { data: id, error } = await client.rpc("record_export", { p_resource: "members", p_rows: 200, p_format: "xlsx" });
    expect(error).toBeNull();
    const { rows } = await db.query("select table_name, action, actor_id, after, reason from audit_log where id = $1", [id]);
    expect(rows[0]).toMatchObject({
      table_name: "members", action: "EXPORT", actor_id: s.user.id, reason: "data-export",
      after: { rows: 200, format: "xlsx" },
    });
  });
});

describe("fences", () => {
  it("pgcrypto lives in the extensions schema, and nothing in public belongs to an extension", async () => {
    const { rows } = await db.query(
      "select e.extname, e.extnamespace::regnamespace::text as schema from pg_extension e where e.extname = 'pgcrypto' or e.extnamespace = 'public'::regnamespace",
    );
    expect(rows).toEqual([{ extname: "pgcrypto", schema: "extensions" }]);
  });

  it.each(["anon", "authenticated"])("%s cannot execute pgcrypto's functions", async (role) => {
    const { rows } = await db.query(
      `select count(*)::int as n from pg_proc p join pg_depend d on d.objid = p.oid and d.deptype = 'e'
       join pg_extension e on e.oid = d.refobjid and e.extname = 'pgcrypto' where has_function_privilege($1, p.oid, 'execute')`, [role]);
    expect(rows[0].n).toBe(0);
  });

  it.each(["service_role", "superuser"])("audit_log refuses TRUNCATE (%s)", async (who) => {
    await db.query("begin");
    try {
      if (who === "service_role") await db.query("set local role service_role");
      await expect(db.query("truncate public.audit_log")).rejects.toMatchObject({ code: "42501" });
    } finally {
      await db.query("rollback");
    }
    expect((await db.query("select count(*)::int as n from audit_log")).rows[0].n).toBeGreaterThan(0);
  });

  it.each([
    ["record_transaction", { p_business_unit_id: null, p_order_no: "X-404", p_amount: 10 }],
    ["merge_members", { p_survivor_id: null }],
    ["balance_as_of", { p_at: new Date().toISOString() }],
  ] as const)("an unknown member answers 404 from %s", async (fn, args) => {
    const { mall } = await units();
    const { client } = await signedIn(demoEmail("admin"));
    const params: Record<string, unknown> = { ...args };
    if (fn === "record_transaction") Object.assign(params, { p_member_id: crypto.randomUUID(), p_business_unit_id: mall });
    if (fn === "merge_members") Object.assign(params, { p_survivor_id: member, p_merged_id: crypto.randomUUID() });
    if (fn === "balance_as_of") Object.assign(params, { p_member_id: crypto.randomUUID() });
    const { error, status } = await client.rpc(fn, params);
    expect(status).toBe(404);
    expect(error).toMatchObject({ hint: "member_unknown" });
  });
});
