/**
 * Who may post and read points: the ledger functions' own permission check, grants and RLS, tested
 * in SQL as each demo user (request.jwt.claims + SET LOCAL ROLE, as PostgREST does), plus catalog
 * checks of the ledger tables and functions.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "../../core/enums/index.ts";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { demoEmail, superuser } from "./stack-env.ts";

const LEDGER_TABLES = ["member_identities", "transactions", "point_balances", "ledger_entries", "point_lots", "ledger_lot_moves"];

let db: pg.Client;
let mall: string;
let hotel: string;
const users = {} as Record<Role, string>;
const { key, newMember, units } = ledgerHelpers("ledger-access", () => db);

/** Runs fn inside a transaction as `who` (a demo role, service_role or anon), then rolls back. */
async function as<T>(who: Role | "service_role" | "anon" | "no-claims", fn: () => Promise<T>): Promise<T> {
  await db.query("begin");
  try {
    if (who === "service_role" || who === "anon") {
      await db.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ role: who })]);
      await db.query(`set local role ${who}`);
    } else if (who === "no-claims") {
      await db.query("set local role authenticated");
    } else {
      await db.query("select set_config('request.jwt.claims', $1, true)", [
        JSON.stringify({ sub: users[who], role: "authenticated", email: demoEmail(who) }),
      ]);
      await db.query("set local role authenticated");
    }
    return await fn();
  } finally {
    await db.query("rollback");
  }
}

async function attempt(promise: Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; error: pg.DatabaseError }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error: error as pg.DatabaseError };
  }
}

const earnSql = "select earn_points($1, $2, $3, $4) as r";

beforeAll(async () => {
  db = await superuser();
  ({ mall, hotel } = await units());
  for (const role of ROLES) {
    const { rows } = await db.query("select user_id from staff_profiles where email = $1", [demoEmail(role)]);
    users[role] = rows[0].user_id;
  }
});

afterAll(async () => {
  await db?.end();
});

describe("posting points as each role", () => {
  // staff is scoped to the mall, manager to the hotel; director and admin are group-wide. Manual earn is
  // an administrator's (tests/db/posting-privileges.test.ts); the others are refused, at any unit.
  it.each([
    ["admin", "mall", true], ["admin", "hotel", true],
    ["staff", "mall", false], ["staff", "hotel", false],
    ["manager", "mall", false], ["manager", "hotel", false],
    ["director", "mall", false], ["director", "hotel", false],
    ["analyst", "mall", false], ["analyst", "hotel", false],
  ] as [Role, "mall" | "hotel", boolean][])("%s earning for the %s: allowed=%s", async (role, unitCode, allowed) => {
    const m = await newMember();
    const unit = unitCode === "mall" ? mall : hotel;
    const result = await as(role, () => attempt(db.query(earnSql, [m, unit, 10, key()])));
    if (allowed) {
      expect(result.ok).toBe(true);
    } else {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe("42501");
        expect(result.error.message).toMatch(/^permission denied: (earning points needs the staff, manager or director role|points are earned from transactions)/);
      }
    }
    const { rows } = await db.query("select count(*)::int as n from ledger_entries where member_id = $1", [m]);
    expect(rows[0].n).toBe(0); // rolled back either way: nothing leaks out of a refused call
  });

  it("records the signed-in operator on the entry", async () => {
    const m = await newMember();
    const operator = await as("admin", async () => {
      const r = (await db.query(earnSql, [m, mall, 10, key()])).rows[0].r;
      return (await db.query("select operator_id from ledger_entries where id = $1", [r.entry_id])).rows[0].operator_id;
    });
    expect(operator).toBe(users.admin);
  });

  it("staff of the mall cannot redeem or reverse hotel points; the hotel manager can", async () => {
    const m = await newMember();
    const e = (await db.query(earnSql, [m, hotel, 50, key()])).rows[0].r;
    const redeem = await as("staff", () => attempt(db.query("select redeem_points($1, $2, 5, $3)", [m, hotel, key()])));
    expect(redeem.ok || redeem.error.code).toBe("42501");
    const rev = await as("staff", () => attempt(db.query("select reverse_entry($1, $2, 'x')", [e.entry_id, key()])));
    expect(rev.ok || rev.error.code).toBe("42501");
    const byManager = await as("manager", () => attempt(db.query("select reverse_entry($1, $2, 'x') as r", [e.entry_id, key()])));
    expect(byManager.ok).toBe(true);
    const analyst = await as("analyst", () => attempt(db.query("select redeem_points($1, $2, 5, $3)", [m, hotel, key()])));
    expect(analyst.ok || analyst.error.code).toBe("42501");
  });

  it("anon cannot call the ledger functions at all; the service role can", async () => {
    const m = await newMember();
    const anon = await as("anon", () => attempt(db.query(earnSql, [m, mall, 10, key()])));
    expect(anon.ok || anon.error.code).toBe("42501");
    const service = await as("service_role", () => attempt(db.query(earnSql, [m, mall, 10, key()])));
    expect(service.ok).toBe(true);
  });

  it("an API role without JWT claims is refused", async () => {
    const m = await newMember();
    const r = await as("no-claims", () => attempt(db.query(earnSql, [m, mall, 10, key()])));
    expect(r.ok || r.error.message).toMatch(/requires a signed-in user/);
  });

  it("expiry is a system job: service role yes, even an admin no", async () => {
    const service = await as("service_role", () => attempt(db.query("select expire_due_lots()")));
    expect(service.ok).toBe(true);
    const admin = await as("admin", () => attempt(db.query("select expire_due_lots()")));
    expect(admin.ok || admin.error.code).toBe("42501");
    const batch = await as("admin", () => attempt(db.query("call private.expire_due_lots_batched(now(), 10, null)")));
    expect(batch.ok || batch.error.code).toBe("42501");
  });

  it.each(ROLES)("%s cannot write ledger tables directly", async (role) => {
    const m = await newMember();
    const e = (await db.query(earnSql, [m, mall, 10, key()])).rows[0].r;
    for (const sql of [
      `insert into ledger_entries (member_id, business_unit_id, kind, points, balance_after, idempotency_key) values ('${m}', '${mall}', 'earn', 5, 5, 'x')`,
      `update point_balances set balance = 1000000 where member_id = '${m}'`,
      `update point_lots set remaining_points = 1000 where id = ${e.lot_id}`,
      `delete from ledger_lot_moves where entry_id = ${e.entry_id}`,
    ]) {
      const r = await as(role, () => attempt(db.query(sql)));
      expect(r.ok || r.error.code, `${role}: ${sql}`).toBe("42501");
    }
    const service = await as("service_role", () => attempt(db.query(`update point_balances set balance = 1 where member_id = '${m}'`)));
    expect(service.ok || service.error.code).toBe("42501");
  });
});

describe("reading points", () => {
  it.each(ROLES)("%s reads balances, entries, lots and moves, and calls the read functions", async (role) => {
    const m = await newMember();
    const e = (await db.query(earnSql, [m, mall, 10, key()])).rows[0].r;
    const seen = await as(role, async () => {
      const q = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;
      return {
        balance: await q("select balance from point_balances where member_id = $1", [m]),
        entries: await q("select id from ledger_entries where member_id = $1", [m]),
        lots: await q("select id from point_lots where member_id = $1", [m]),
        moves: await q("select lot_id from ledger_lot_moves where entry_id = $1", [e.entry_id]),
        asOf: await q("select balance_as_of($1, now()) as b", [m]),
        expiring: await q("select id from lots_expiring_within($1, 400)", [m]),
      };
    });
    expect(seen.balance).toEqual([{ balance: "10" }]);
    expect(seen.entries.length).toBe(1);
    expect(seen.lots.length).toBe(1);
    expect(seen.moves.length).toBe(1);
    expect(seen.asOf).toEqual([{ b: "10" }]);
    expect(seen.expiring.length).toBe(1);
  });

  it.each(LEDGER_TABLES)("anon reads nothing from %s", async (table) => {
    const r = await as("anon", () => attempt(db.query(`select * from ${table} limit 1`)));
    expect(r.ok || r.error.code).toBe("42501");
  });
});

describe("transactions and member identities", () => {
  const insertTxn = (member: string, unit: string) =>
    db.query("insert into transactions (business_unit_id, order_no, member_id, amount, items, channel) values ($1, $2, $3, 199.90, $4, 'pos') returning id, operator_id",
      [unit, key("order"), member, JSON.stringify([{ sku: "A1", qty: 1, price: 199.9 }])]);

  // Transactions are recorded through record_transaction only (tests/db/posting-privileges.test.ts).
  it.each(ROLES)("%s cannot insert a transaction directly", async (role) => {
    const m = await newMember();
    const r = await as(role, () => attempt(insertTxn(m, role === "manager" ? hotel : mall)));
    expect(r.ok || r.error.code).toBe("42501");
  });

  it.each([
    ["staff", "mall", true], ["staff", "hotel", false],
    ["manager", "hotel", true], ["manager", "mall", false],
    ["director", "hotel", true], ["admin", "mall", true],
    ["analyst", "mall", false],
  ] as [Role, "mall" | "hotel", boolean][])("%s records a %s transaction through record_transaction: allowed=%s", async (role, unitCode, allowed) => {
    const m = await newMember();
    const unit = unitCode === "mall" ? mall : hotel;
    const r = await as(role, () => attempt((async () => {
      const recorded = await db.query("select record_transaction($1, $2, $3, 199.90) ->> 'transaction_id' as id", [m, unit, key("order")]);
      return db.query("select operator_id from transactions where id = $1", [recorded.rows[0].id]);
    })()));
    if (allowed) {
      expect(r.ok).toBe(true);
      if (r.ok) expect((r.value as pg.QueryResult).rows[0].operator_id).toBe(users[role]);
    } else {
      expect(r.ok || r.error.code).toBe("42501");
    }
  });

  it("every staff role reads transactions; nobody edits them through the API", async () => {
    const m = await newMember();
    const t = (await insertTxn(m, mall)).rows[0].id;
    for (const role of ROLES) {
      const rows = await as(role, async () => (await db.query("select id from transactions where id = $1", [t])).rows);
      expect(rows.length, role).toBe(1);
      const upd = await as(role, () => attempt(db.query("update transactions set amount = 1 where id = $1", [t])));
      expect(upd.ok || upd.error.code, role).toBe("42501");
    }
  });

  it("an order number is unique per unit, an amount must be positive", async () => {
    const m = await newMember();
    const order = key("dup-order");
    await db.query("insert into transactions (business_unit_id, order_no, member_id, amount) values ($1, $2, $3, 10)", [mall, order, m]);
    const dup = await attempt(db.query("insert into transactions (business_unit_id, order_no, member_id, amount) values ($1, $2, $3, 10)", [mall, order, m]));
    expect(dup.ok || dup.error.code).toBe("23505");
    await db.query("insert into transactions (business_unit_id, order_no, member_id, amount) values ($1, $2, $3, 10)", [hotel, order, m]);
    const neg = await attempt(db.query("insert into transactions (business_unit_id, order_no, member_id, amount) values ($1, $2, $3, -1)", [mall, key(), m]));
    expect(neg.ok || neg.error.code).toBe("23514");
  });

  it("earning can cite a transaction of the same member only", async () => {
    const m = await newMember();
    const other = await newMember();
    const t = (await insertTxn(m, mall)).rows[0].id;
    const ok = await db.query("select earn_points($1, $2, 20, $3, p_transaction_id => $4) as r", [m, mall, key(), t]);
    const entry = (await db.query("select transaction_id from ledger_entries where id = $1", [ok.rows[0].r.entry_id])).rows[0];
    expect(entry.transaction_id).toBe(t);
    const bad = await attempt(db.query("select earn_points($1, $2, 20, $3, p_transaction_id => $4)", [other, mall, key(), t]));
    expect(bad.ok || bad.error.message).toMatch(/belongs to another member/);
  });

  it("staff link a member to their own unit's member id only", async () => {
    const m = await newMember();
    const ext = key("card");
    const own = await as("staff", () => attempt(db.query("insert into member_identities (member_id, business_unit_id, external_id) values ($1, $2, $3)", [m, mall, ext])));
    expect(own.ok).toBe(true);
    const other = await as("staff", () => attempt(db.query("insert into member_identities (member_id, business_unit_id, external_id) values ($1, $2, $3)", [m, hotel, ext])));
    expect(other.ok || other.error.code).toBe("42501");
    await db.query("insert into member_identities (member_id, business_unit_id, external_id) values ($1, $2, $3)", [m, mall, ext]);
    const dup = await attempt(db.query("insert into member_identities (member_id, business_unit_id, external_id) values ($1, $2, $3)", [await newMember(), mall, ext]));
    expect(dup.ok || dup.error.code).toBe("23505");
    const audit = await db.query("select count(*)::int as n from audit_log where table_name = 'member_identities' and after->>'external_id' = $1", [ext]);
    expect(audit.rows[0].n).toBe(1);
  });

  it("unit managers unlink their own unit's ids only, staff none; an unlink is audited with its before image", async () => {
    const m = await newMember();
    const [mallCard, hotelCard] = [key("mall-card"), key("hotel-card")];
    await db.query("insert into member_identities (member_id, business_unit_id, external_id) values ($1, $2, $3), ($1, $4, $5)", [m, mall, mallCard, hotel, hotelCard]);
    const unlink = (unit: string) => db.query("delete from member_identities where member_id = $1 and business_unit_id = $2", [m, unit]);
    expect((await as("manager", () => unlink(mall))).rowCount).toBe(0); // the demo manager works for the hotel
    expect((await as("staff", () => unlink(mall))).rowCount).toBe(0);
    expect((await as("manager", () => unlink(hotel))).rowCount).toBe(1);
    expect((await db.query("select count(*)::int as n from member_identities where member_id = $1", [m])).rows[0].n).toBe(2); // as() rolled back

    await unlink(hotel);
    const audit = await db.query("select action, before->>'external_id' as external_id from audit_log where table_name = 'member_identities' and action = 'DELETE' and before->>'external_id' = $1", [hotelCard]);
    expect(audit.rows).toEqual([{ action: "DELETE", external_id: hotelCard }]);
  });
});

describe("catalog", () => {
  it("every ledger table has RLS on, at least one policy and a comment", async () => {
    const { rows } = await db.query(
      `select c.relname, c.relrowsecurity, obj_description(c.oid, 'pg_class') as comment,
              (select count(*) from pg_policy p where p.polrelid = c.oid)::int as policies
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relname = any($1)`,
      [LEDGER_TABLES],
    );
    expect(rows.map((r) => r.relname).sort()).toEqual([...LEDGER_TABLES].sort());
    for (const r of rows) {
      expect(r.relrowsecurity, r.relname).toBe(true);
      expect(r.policies, r.relname).toBeGreaterThan(0);
      expect(r.comment?.length ?? 0, r.relname).toBeGreaterThan(20);
    }
  });

  it("API roles hold no write privilege on balances, lots, entries or moves", async () => {
    const { rows } = await db.query(
      `select table_name, grantee, privilege_type from information_schema.role_table_grants
       where table_schema = 'public' and table_name = any($1) and grantee in ('anon', 'authenticated', 'service_role')
         and privilege_type in ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')`,
      [["point_balances", "ledger_entries", "point_lots", "ledger_lot_moves"]],
    );
    expect(rows).toEqual([]);
  });

  it("the posting functions are security definer with an empty search_path and not executable by anon", async () => {
    const { rows } = await db.query(
      `select p.proname, p.prosecdef, p.proconfig, has_function_privilege('anon', p.oid, 'execute') as anon_exec
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and p.proname in ('earn_points', 'redeem_points', 'reverse_entry', 'expire_due_lots')`,
    );
    expect(rows.length).toBe(4);
    for (const r of rows) {
      expect(r.prosecdef, r.proname).toBe(true);
      expect(r.proconfig, r.proname).toContain('search_path=""');
      expect(r.anon_exec, r.proname).toBe(false);
    }
  });
});
