/**
 * Member privacy: the export holds the member's own rows and nobody else's and is audited; anonymisation clears the
 * personal fields everywhere they were copied (every text column of the database is searched for the phone and
 * the e-mail) while ledger sums, settlement entries and dashboard rollups stay as they were and the audit chain
 * still verifies; twice or five times at once is one anonymisation; only the roles the access matrix names may.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "../../core/enums/index.ts";
import { connect, inSnapshot, rollupDifferences } from "./dashboard-fixtures.ts";
import { invariantRows, ledgerHelpers } from "./ledger-fixtures.ts";
import { outcome, roleSessions } from "./role-session.ts";
import { superuser } from "./stack-env.ts";

let db: pg.Client;
let mall: string;
let hotel: string;
let session: Awaited<ReturnType<typeof roleSessions>>;
const { key, newMember, units } = ledgerHelpers("privacy", () => db);

interface Person { id: string; phone: string; email: string; name: string }
let alice: Person;
let bob: Person;

beforeAll(async () => {
  db = await superuser();
  ({ mall, hotel } = await units());
  session = await roleSessions(db);
  alice = await person("alice");
  bob = await person("bob");
});

afterAll(async () => {
  await db?.end();
});

async function until<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A member of the mall with personal data edited by mall staff, a hotel stay earned by the engine, points redeemed
 * at the mall (a settlement pair), a follow-up and a message mentioning the phone: copies in the usual places. */
async function person(label: string): Promise<Person> {
  const id = await newMember();
  const { rows } = await db.query("select phone, name from members where id = $1", [id]);
  const email = `${label}.${rows[0].phone}@example.com`;
  await db.query("update members set home_business_unit_id = $2 where id = $1", [id, mall]);
  await session.commitAs("staff", "update members set email = $2, birthday = '1990-05-17' where id = $1", [id, email]);
  const txn = (await db.query(
    "select record_transaction($1, $2, $3, 800, 'front_desk', now() - interval '5 minutes') ->> 'transaction_id' as id",
    [id, hotel, key("stay")])).rows[0].id;
  await until("the stay's points", async () =>
    (await db.query("select 1 from transaction_earnings where transaction_id = $1", [txn])).rows[0]);
  await db.query("select redeem_points($1, $2, 100, $3)", [id, mall, key("redeem")]);
  await db.query(
    `insert into member_followups (member_id, business_unit_id, channel, outcome, note, created_by)
     values ($1, $2, 'phone', (private.followup_outcomes())[1], $3, $4)`,
    [id, mall, `电话 ${rows[0].phone} 回访，邮件 ${email}`, session.users.staff]);
  await db.query(
    "insert into notifications_outbox (member_id, channel, template, payload, dedupe_key) values ($1, 'sms', 'points_expiring', $2, $3)",
    [id, JSON.stringify({ member_name: rows[0].name, member_no: "x", contact: rows[0].phone }), key("msg")]);
  return { id, phone: rows[0].phone, email, name: rows[0].name };
}

/** Every text-like column of every table in the database holding `needle`: [table.column, rows]. */
async function copiesOf(needle: string): Promise<[string, number][]> {
  const { rows: columns } = await db.query(
    `select c.table_schema, c.table_name, c.column_name from information_schema.columns c
     join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
     where c.table_schema not in ('pg_catalog', 'information_schema', 'pg_toast')
       and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED')`);
  const found: [string, number][] = [];
  for (const c of columns) {
    const q = `select count(*)::int n from "${c.table_schema}"."${c.table_name}" where "${c.column_name}"::text like $1`;
    const n = (await db.query(q, [`%${needle}%`])).rows[0].n as number;
    if (n > 0) found.push([`${c.table_schema}.${c.table_name}.${c.column_name}`, n]);
  }
  return found;
}

const ledgerTotals = async (id: string) =>
  (await db.query(
    `select (select coalesce(sum(points), 0)::int from ledger_entries where member_id = $1) ledger,
            (select count(*)::int from ledger_entries where member_id = $1) entries,
            (select coalesce(sum(remaining_points), 0)::int from point_lots where member_id = $1) lots,
            (select count(*)::int from transactions where member_id = $1) transactions,
            (select balance::int from point_balances where member_id = $1) balance`, [id])).rows[0];

const settlementDigest = async () =>
  (await db.query("select md5(coalesce(string_agg(to_jsonb(s)::text, ',' order by s.id), '')) d from settlement_entries s")).rows[0].d;

const rollupTotals = async () =>
  (await db.query(
    `select sum(points_in)::bigint i, sum(points_out)::bigint o from (
       select points_in, points_out from private.points_daily
       union all select points_in, points_out from private.points_delta_rows) x`)).rows[0];

describe("export", () => {
  it.each(["staff", "manager", "admin"] as Role[])("%s exports a member: only that member's rows, audited", async (role) => {
    const x = await session.as(role, async () => (await db.query("select member_privacy_export($1) as x", [alice.id])).rows[0].x, "commit");
    const audit = (await db.query(
      `select count(*)::int n from audit_log where table_name = 'members' and record_id = $1 and action = 'EXPORT'
         and actor_id = $2 and reason = 'privacy-export'`, [alice.id, session.users[role]])).rows[0].n;
    const text = JSON.stringify(x);
    expect(x.profile.map((p: { id: string }) => p.id)).toEqual([alice.id]);
    expect(x.profile[0]).toMatchObject({ phone: alice.phone, email: alice.email });
    for (const section of ["ledger", "lots", "transactions", "transaction_earnings", "followups", "notifications"]) {
      expect(x[section].length, section).toBeGreaterThan(0);
      for (const row of x[section]) expect(row.member_id, section).toBe(alice.id);
    }
    expect(x.audit.length).toBeGreaterThan(0);
    expect(text).not.toContain(bob.id);
    expect(text).not.toContain(bob.phone);
    expect(text).not.toContain(bob.email);
    expect(audit).toBe(1);
  });

  it.each(ROLES.filter((r) => !["staff", "manager", "admin"].includes(r)))("%s may not export", async (role) => {
    expect(outcome(await session.attempt(role, "select member_privacy_export($1)", [alice.id]))).toBe("privacy_export_not_allowed");
  });
});

describe("anonymise", () => {
  it.each(["staff", "manager", "director", "analyst", "marketing", "finance"] as Role[])("%s may not (hotel manager: not the home unit)", async (role) => {
    expect(outcome(await session.attempt(role, "select anonymise_member($1, '本人申请')", [alice.id]))).toBe("anonymise_not_allowed");
  });

  it("needs a reason", async () => {
    expect(outcome(await session.attempt("admin", "select anonymise_member($1, ' ')", [alice.id]))).toBe("reason_required");
  });

  it("clears every copy of the personal data, keeps ledger, settlement and rollups, once when called 5 times at once", async () => {
    expect((await copiesOf(alice.phone)).length).toBeGreaterThan(2);
    // Part of the trail sealed into the hash chain already (the engine seals every minute).
    await db.query("select private.seal_audit_chain(100000)");
    const before = { ledger: await ledgerTotals(alice.id), settlement: await settlementDigest(), rollups: await rollupTotals() };
    const bobBefore = await copiesOf(bob.phone);

    const clients = await connect(5);
    let results: { already: boolean }[];
    try {
      const admin = session.users.admin;
      results = await Promise.all(clients.map(async (c) => {
        await c.query("begin");
        await c.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ sub: admin, role: "authenticated", email: "admin@demo.test" })]);
        await c.query("set local role authenticated");
        const r = (await c.query("select anonymise_member($1, '会员本人申请注销并匿名化') as r", [alice.id])).rows[0].r;
        await c.query("commit");
        return r;
      }));
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    expect(results.filter((r) => !r.already)).toHaveLength(1);
    expect((await db.query(
      "select count(*)::int n from audit_log where table_name = 'members' and record_id = $1 and after ->> 'anonymised' = 'true'", [alice.id])).rows[0].n).toBe(1);

    expect(await copiesOf(alice.phone)).toEqual([]);
    expect(await copiesOf(alice.email)).toEqual([]);
    expect(await copiesOf(bob.phone)).toEqual(bobBefore);
    const m = (await db.query("select name, phone, email, birthday, custom, status, anonymised_at from members where id = $1", [alice.id])).rows[0];
    expect(m).toMatchObject({ name: "匿名会员", phone: null, email: null, birthday: null, custom: {}, status: "cancelled" });
    expect(m.anonymised_at).not.toBeNull();

    expect(await ledgerTotals(alice.id)).toEqual(before.ledger);
    expect(await settlementDigest()).toBe(before.settlement);
    expect(await rollupTotals()).toEqual(before.rollups);
    expect(await inSnapshot(db, () => rollupDifferences(db))).toEqual({});
    const [inv] = await invariantRows(db, [alice.id]);
    expect([inv.balance, inv.lots]).toEqual([inv.ledger, inv.ledger]);

    // The audit chain still verifies with the redacted rows.
    await db.query("select private.seal_audit_chain(100000)");
    expect((await db.query("select ok, problem from private.audit_verify()")).rows[0]).toEqual({ ok: true, problem: null });

    // No more earning; the personal data cannot come back.
    const earn = await db.query("select record_transaction($1, $2, $3, 100, 'front_desk') as r", [alice.id, hotel, key("after")])
      .then(() => "ok", (e: pg.DatabaseError) => e.hint);
    expect(earn).toBe("member_inactive");
    expect(outcome(await session.attempt("admin", "update members set phone = $2 where id = $1", [alice.id, alice.phone]))).not.toBe("ok");
    const again = await session.commitAs("admin", "select anonymise_member($1, '再次申请') as r", [alice.id]);
    expect(again[0].r.already).toBe(true);
  });

  it("a redacted audit row changed afterwards is still reported", async () => {
    const { rows } = await db.query(
      "select r.audit_id from private.audit_redactions r where r.member_id = $1 order by r.audit_id limit 1", [alice.id]);
    expect(rows.length).toBe(1);
    await db.query("begin");
    try {
      await db.query("set local session_replication_role = replica");
      await db.query("update audit_log set reason = 'tampered' where id = $1", [rows[0].audit_id]);
      const v = (await db.query("select ok, broken_id, problem from private.audit_verify()")).rows[0];
      expect(v).toEqual({ ok: false, broken_id: rows[0].audit_id, problem: "content_changed" });
    } finally {
      await db.query("rollback");
    }
  });
});
