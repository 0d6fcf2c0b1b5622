/**
 * Benefits against the real database: the registry in core/enums equals SQL's; verification and coupon
 * redemption under concurrency (a grant's uses never below zero, one use per remaining use); idempotency per
 * caller (a user key never pre-claims the engine's); every refusal reason with its hint, changing nothing;
 * the counter's list with "why not"; manual grants only through the approval flow benefit-grant.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  APPROVAL_FLOW_ACTIONS, BENEFIT_GRANT_STATUSES, BENEFIT_KINDS, BENEFIT_LIMITS, BENEFIT_PERIODS, BENEFIT_REFUSALS, BENEFIT_SOURCES,
  benefitRefusalHint, COUPON_CODE_PATTERN,
} from "../../core/enums/index.ts";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { databaseUrl, superuser } from "./stack-env.ts";

let db: pg.Client;
let mall: string;
let hotel: string;
const users: Record<string, string> = {};
const { key, newMember, units } = ledgerHelpers("benefits", () => db);

type Result = { ok: true; value: Record<string, unknown> } | { ok: false; error: pg.DatabaseError };

/** One statement as a demo user (the way PostgREST runs it; "service_role" for the service role), committed when it succeeds. */
async function callAs(client: pg.Client, email: string, sql: string, params: unknown[]): Promise<Result> {
  await client.query("begin");
  try {
    const claims = email === "service_role" ? { role: "service_role" } : { sub: users[email], role: "authenticated", email };
    await client.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
    await client.query(`set local role ${email === "service_role" ? "service_role" : "authenticated"}`);
    const { rows } = await client.query(sql, params);
    await client.query("commit");
    return { ok: true, value: rows[0] };
  } catch (error) {
    await client.query("rollback");
    return { ok: false, error: error as pg.DatabaseError };
  }
}
const as = (email: string, sql: string, params: unknown[]) => callAs(db, email, sql, params);
const STAFF = "staff@demo.test"; // mall staff
const HOTEL_STAFF = "hotel.staff@demo.test";
const MALL_MANAGER = "mall.manager@demo.test";
const ANALYST = "analyst@demo.test";

async function ok(r: Promise<Result>) {
  const x = await r;
  if (!x.ok) throw new Error(`expected success, got ${x.error.hint ?? x.error.code}: ${x.error.message}`);
  return x.value as Record<string, unknown>;
}
async function refused(r: Promise<Result>) {
  const x = await r;
  if (x.ok) throw new Error(`expected a refusal, got ${JSON.stringify(x.value)}`);
  return x.error;
}

const verify = (grant: string | null, opts: { who?: string; unit?: string; uses?: number | null; k?: string | null; withPoints?: boolean; withGrants?: string[] } = {}) =>
  as(opts.who ?? STAFF, "select * from verify_benefit_use($1, $2, $3, $4, $5, $6)", [
    grant, opts.unit ?? mall, opts.uses === undefined ? 1 : opts.uses, opts.k === undefined ? key("use") : opts.k, opts.withPoints ?? false,
    opts.withGrants ?? [],
  ]);
const redeem = (client: pg.Client, code: string, who = HOTEL_STAFF, unit = hotel, k = key("coupon")) =>
  callAs(client, who, "select * from redeem_coupon($1, $2, $3)", [code, unit, k]);

let defNo = 0;
/** A published test definition (tier-granted to the standard tier unless said otherwise); returns its key. */
async function define(columns: Record<string, unknown> = {}) {
  const row = {
    key: `t-${key("def").replace(/[^a-z0-9]+/g, "-").slice(-40)}-${++defNo}`, version: 1, status: "published", name: "测试权益",
    kind: "parking_hours", value: 2, uses_per_period: 4, period: "month", validity_days: 31, issuing_unit_id: mall,
    accepting_unit_codes: ["mall"], grant_on_tiers: ["standard"], ...columns,
  };
  const names = Object.keys(row);
  await db.query(
    `insert into benefit_definitions (${names.join(", ")}) values (${names.map((_, i) => `$${i + 1}`).join(", ")})`,
    Object.values(row).map((v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? JSON.stringify(v) : v)),
  );
  return row.key;
}
/** The engine's tier grant for one member (as of p_as_of), and the grant's row. */
async function grantTier(member: string, defKey: string, asOf = "now()") {
  await db.query(`select private.grant_tier_benefits(${asOf}, array[$1]::uuid[])`, [member]);
  const { rows } = await db.query("select * from benefit_grants where member_id = $1 and definition_key = $2 order by created_at desc limit 1", [member, defKey]);
  expect(rows).toHaveLength(1);
  return rows[0] as { id: string; uses_left: number; code: string | null; status: string; valid_until: Date };
}
/** What a refusal must leave unchanged: the grant's uses and status, its use rows, the member's notices. */
async function snapshot(grant: string) {
  const { rows } = await db.query(
    `select g.uses_left, g.status, (select count(*) from benefit_uses u where u.grant_id = g.id)::int as uses,
            (select count(*) from notifications_outbox o where o.member_id = g.member_id and o.template = 'benefit_used')::int as notices,
            (select count(*) from audit_log a where a.table_name = 'benefit_uses')::int as audits
     from benefit_grants g where g.id = $1`, [grant]);
  return rows[0];
}
async function connect(n: number) {
  return Promise.all(Array.from({ length: n }, async () => {
    const c = new pg.Client({ connectionString: databaseUrl() });
    await c.connect();
    return c;
  }));
}

beforeAll(async () => {
  db = await superuser();
  ({ mall, hotel } = await units());
  const { rows } = await db.query("select user_id, email from staff_profiles");
  for (const r of rows) users[r.email] = r.user_id;
});
afterAll(async () => {
  // This file's definitions grant to every standard member: retire them so later files' members get none.
  await db?.query("update benefit_definitions set status = 'archived' where key like 't-%' and status = 'published'");
  await db?.end();
});

describe("registry", () => {
  it("kinds, sources, statuses, periods, refusals and limits in SQL are those of core/enums", async () => {
    const sql = (await db.query(
      "select private.benefit_kinds() as kinds, private.benefit_sources() as sources, private.benefit_refusals() as refusals, private.benefit_limits() as limits",
    )).rows[0];
    expect(sql.kinds).toEqual([...BENEFIT_KINDS]);
    expect(sql.sources).toEqual([...BENEFIT_SOURCES]);
    expect([...sql.refusals].sort()).toEqual([...BENEFIT_REFUSALS].sort());
    expect(sql.limits).toEqual(BENEFIT_LIMITS);
    const constraint = async (table: string, column: string) => (await db.query(
      `select pg_get_constraintdef(c.oid) as def from pg_constraint c
       where c.conrelid = $1::regclass and c.contype = 'c' and pg_get_constraintdef(c.oid) like '%(' || $2 || ' = ANY%'`, [table, column],
    )).rows.map((r) => [...(r.def as string).matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1])).flat();
    expect(await constraint("benefit_grants", "status")).toEqual([...BENEFIT_GRANT_STATUSES]);
    expect(await constraint("benefit_grants", "source")).toEqual([...BENEFIT_SOURCES]);
    expect(await constraint("benefit_definitions", "period")).toEqual([...BENEFIT_PERIODS]);
    expect(await constraint("benefit_definitions", "kind")).toEqual([...BENEFIT_KINDS]);
    expect(APPROVAL_FLOW_ACTIONS).toContain("benefit_grant");
  });

  it("bad definitions are refused with their reason", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: "parking_hours", value: 25 }, "benefit_value_out_of_range"],
      [{ kind: "discount_percent", value: 100 }, "benefit_value_out_of_range"],
      [{ kind: "coupon", value: 10000, uses_per_period: 2 }, "benefit_uses_out_of_range"],
      [{ validity_days: 400 }, "benefit_validity_out_of_range"],
      [{ eligibility: { "+": [1, 2] } }, "benefit_logic_invalid"],
      [{ grant_on_transaction: { ">=": [{ var: "Amount" }, 1] } }, "benefit_logic_invalid"],
      [{ grant_on_tiers: ["platinum"] }, "benefit_tier_unknown"],
      [{ accepting_unit_codes: ["casino"] }, "benefit_unit_unknown"],
      [{ kind: "cash" }, "benefit_kind_unknown"],
    ];
    for (const [columns, hint] of cases) {
      const error = await define(columns).then(() => null, (e: pg.DatabaseError) => e);
      expect(error?.hint, JSON.stringify(columns)).toBe(hint);
    }
  });
});

describe("the demo pool", () => {
  it("gold members hold their parking grant after the seed; a mall purchase of 500 yuan gives a hotel coupon", async () => {
    // The demo's members (tests add gold members at registration, which the cron grants later).
    const gold = (await db.query(
      `select count(*)::int as n from members m join tiers t on t.id = m.tier_id
       where t.code in ('gold', 'diamond') and m.status = 'active' and m.merged_into is null
         and m.created_at <= (select d.published_at from benefit_definitions d where d.key = 'gold-parking' and d.version = 1)`)).rows[0].n;
    expect(gold).toBeGreaterThan(0);
    const missing = (await db.query(
      `select m.member_no, t.code, m.paid_tier_id is not null as paid, m.updated_at,
              (select json_agg(json_build_object('reason', h.reason, 'at', h.changed_at) order by h.changed_at desc)
               from tier_history h where h.member_id = m.id) as history
       from members m join tiers t on t.id = m.tier_id
       where t.code in ('gold', 'diamond') and m.status = 'active' and m.merged_into is null
         and m.created_at <= (select d.published_at from benefit_definitions d where d.key = 'gold-parking' and d.version = 1)
         and not exists (select 1 from benefit_grants g where g.member_id = m.id and g.definition_key = 'gold-parking' and g.valid_from <= now())`)).rows;
    expect(missing).toEqual([]);
    const member = await newMember();
    const txn = (await db.query("select record_transaction($1, $2, $3, 520, 'pos', now()) as r", [member, mall, key("order")])).rows[0].r.transaction_id;
    const small = (await db.query("select record_transaction($1, $2, $3, 499, 'pos', now()) as r", [member, mall, key("order")])).rows[0].r.transaction_id;
    await db.query("select private.grant_transaction_benefits(array[$1, $2]::uuid[])", [txn, small]);
    await db.query("select private.grant_transaction_benefits(array[$1, $2]::uuid[])", [txn, small]);
    const coupons = (await db.query("select * from benefit_grants where member_id = $1 and definition_key = 'hotel-coupon-100'", [member])).rows;
    expect(coupons).toHaveLength(1);
    expect(coupons[0].source_ref).toBe(txn);
    expect(coupons[0].code).toMatch(new RegExp(COUPON_CODE_PATTERN));
    // Accepted only at the hotel.
    expect((await refused(verify(coupons[0].id))).hint).toBe("benefit_not_accepted_here");
    const used = await ok(redeem(db, coupons[0].code.toLowerCase()));
    expect(used.uses_left).toBe(0);
  });
});

describe("concurrency", () => {
  it("20 parallel verifications of a grant with one use left: exactly one succeeds, the others are used up", async () => {
    const member = await newMember();
    const grant = await grantTier(member, await define({ uses_per_period: 3 }));
    expect((await ok(verify(grant.id, { uses: 2 }))).uses_left).toBe(1);
    const clients = await connect(20);
    try {
      const results = await Promise.all(clients.map((c) =>
        callAs(c, STAFF, "select * from verify_benefit_use($1, $2, 1, $3)", [grant.id, mall, key("burst")])));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).map((r) => (r.ok ? "" : r.error.hint))).toEqual(Array(19).fill("benefit_used_up"));
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    const after = await snapshot(grant.id);
    expect(after).toMatchObject({ uses_left: 0, status: "used_up", uses: 2, notices: 2 });
    const sum = (await db.query("select sum(uses)::int as s, min(uses_left)::int as m from benefit_uses where grant_id = $1", [grant.id])).rows[0];
    expect(sum).toEqual({ s: 3, m: 0 });
  });

  it("20 parallel redemptions of one coupon code: one succeeds", async () => {
    const member = await newMember();
    const grant = await grantTier(member, await define({ kind: "coupon", value: 5000, uses_per_period: 1, accepting_unit_codes: ["hotel"] }));
    expect(grant.code).toMatch(new RegExp(COUPON_CODE_PATTERN));
    const clients = await connect(20);
    try {
      const results = await Promise.all(clients.map((c, i) => redeem(c, i % 2 ? ` ${grant.code!.toLowerCase()} ` : grant.code!)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(new Set(results.filter((r) => !r.ok).map((r) => (r.ok ? "" : r.error.hint)))).toEqual(new Set(["benefit_used_up"]));
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    expect(await snapshot(grant.id)).toMatchObject({ uses_left: 0, status: "used_up", uses: 1 });
  });

  it("the same key from 20 connections at once uses once", async () => {
    const member = await newMember();
    const grant = await grantTier(member, await define({ uses_per_period: 10 }));
    const k = key("same");
    const clients = await connect(20);
    try {
      const results = await Promise.all(clients.map((c) => callAs(c, STAFF, "select * from verify_benefit_use($1, $2, 1, $3)", [grant.id, mall, k])));
      expect(results.every((r) => r.ok)).toBe(true);
      expect(new Set(results.map((r) => (r.ok ? r.value.id : null))).size).toBe(1);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    expect(await snapshot(grant.id)).toMatchObject({ uses_left: 9, uses: 1 });
  });
});

describe("idempotency", () => {
  it("a retry returns the first use and changes nothing; other parameters are refused", async () => {
    const member = await newMember();
    const grant = await grantTier(member, await define());
    const k = key("retry");
    const first = await ok(verify(grant.id, { k }));
    const before = await snapshot(grant.id);
    const again = await ok(verify(grant.id, { k }));
    expect(again).toEqual(first);
    expect(await snapshot(grant.id)).toEqual(before);
    expect((await refused(verify(grant.id, { k, uses: 2 }))).hint).toBe("idempotency_key_reused");
    expect(await snapshot(grant.id)).toEqual(before);
  });

  it("a user's key cannot pre-claim the engine's or another user's key", async () => {
    const member = await newMember();
    const grant = await grantTier(member, await define());
    const k = key("claim");
    const user = await ok(verify(grant.id, { k: `system:${k}` }));
    const system = await ok(verify(grant.id, { who: "service_role", k }));
    expect(system.id).not.toBe(user.id);
    expect(system.idempotency_key).toBe(`system:${k}`);
    expect(user.idempotency_key).toBe(`${users[STAFF]}:system:${k}`);
    const other = await ok(verify(grant.id, { who: MALL_MANAGER, k: `system:${k}` }));
    expect(other.id).not.toBe(user.id);
    expect((await snapshot(grant.id)).uses_left).toBe(1);
  });
});

describe("refusals change nothing", () => {
  async function expectRefusal(grant: string, call: Promise<Result>, hint: string) {
    const before = await snapshot(grant);
    expect((await refused(call)).hint).toBe(hint);
    expect(await snapshot(grant)).toEqual(before);
  }

  it("not accepted here, expired, does not stack, not eligible, inactive member", async () => {
    const member = await newMember();
    const parking = await grantTier(member, await define());
    await expectRefusal(parking.id, verify(parking.id, { who: HOTEL_STAFF, unit: hotel }), "benefit_not_accepted_here");

    const old = await grantTier(member, await define({ validity_days: 1 }), "now() - interval '2 days'");
    await expectRefusal(old.id, verify(old.id), "benefit_expired");

    const noPoints = await grantTier(member, await define({ stacks_with_points: false }));
    await expectRefusal(noPoints.id, verify(noPoints.id, { withPoints: true }), "benefit_does_not_stack");
    const alone = await grantTier(member, await define({ stacks_with_benefits: false }));
    await expectRefusal(parking.id, verify(parking.id, { withGrants: [alone.id] }), "benefit_does_not_stack");
    await expectRefusal(alone.id, verify(alone.id, { withGrants: [parking.id] }), "benefit_does_not_stack");
    await ok(verify(parking.id, { withPoints: true, withGrants: [noPoints.id] }));

    // The tier that granted it is gone.
    const silverMember = await newMember();
    await db.query("update members set tier_id = (select id from tiers where code = 'silver') where id = $1", [silverMember]);
    const silverOnly = await grantTier(silverMember, await define({ grant_on_tiers: ["silver"] }));
    await db.query("update members set tier_id = (select id from tiers where code = 'standard') where id = $1", [silverMember]);
    await expectRefusal(silverOnly.id, verify(silverOnly.id), "benefit_not_eligible");
    // Eligibility no longer holds.
    const tagged = await newMember();
    await db.query("update members set tags = '{vip}' where id = $1", [tagged]);
    const vipOnly = await grantTier(tagged, await define({ eligibility: { in: ["vip", { var: "tags" }] } }));
    await db.query("update members set tags = '{}' where id = $1", [tagged]);
    await expectRefusal(vipOnly.id, verify(vipOnly.id), "benefit_not_eligible");

    const frozen = await newMember();
    const frozenGrant = await grantTier(frozen, await define());
    await db.query("update members set status = 'frozen' where id = $1", [frozen]);
    await expectRefusal(frozenGrant.id, verify(frozenGrant.id), "member_inactive");
  });

  it("wrong role and bad input", async () => {
    const member = await newMember();
    const grant = await grantTier(member, await define({ uses_per_period: 2 }));
    await expectRefusal(grant.id, verify(grant.id, { who: HOTEL_STAFF }), "unit_role_required");
    await expectRefusal(grant.id, verify(grant.id, { who: ANALYST }), "unit_role_required");
    await expectRefusal(grant.id, verify(grant.id, { uses: 0 }), "benefit_uses_invalid");
    await expectRefusal(grant.id, verify(grant.id, { uses: 101 }), "benefit_uses_invalid");
    await expectRefusal(grant.id, verify(grant.id, { uses: null }), "benefit_uses_invalid");
    await expectRefusal(grant.id, verify(grant.id, { uses: 3 }), "benefit_used_up");
    await expectRefusal(grant.id, verify(grant.id, { k: null }), "idempotency_key_missing");
    await expectRefusal(grant.id, verify(grant.id, { k: "x".repeat(300) }), "idempotency_key_too_long");
    await expectRefusal(grant.id, verify(grant.id, { withGrants: [grant.id] }), "benefit_with_grants_invalid");
    const stranger = await grantTier(await newMember(), await define());
    await expectRefusal(grant.id, verify(grant.id, { withGrants: [stranger.id] }), "benefit_with_grants_invalid");
    await expectRefusal(grant.id, verify(null), "benefit_grant_missing");
    await expectRefusal(grant.id, verify("00000000-0000-0000-0000-000000000000"), "benefit_grant_unknown");
    await expectRefusal(grant.id, redeem(db, "ABCDEFGHJKLM"), "coupon_unknown");
    await expectRefusal(grant.id, redeem(db, "  "), "coupon_code_missing");
    // Nobody writes grants or uses directly.
    const before = await snapshot(grant.id);
    const update = await as(MALL_MANAGER, "update benefit_grants set uses_left = 2 where id = $1 returning id", [grant.id]);
    expect(update.ok ? "ok" : update.error.code).toBe("42501");
    expect(await snapshot(grant.id)).toEqual(before);
    const direct = await as(MALL_MANAGER, "insert into benefit_uses (grant_id, member_id, business_unit_id, uses, uses_left, idempotency_key) values ($1, $2, $3, 1, 0, 'x') returning id", [grant.id, member, mall]);
    expect(direct.ok ? "ok" : direct.error.code).toBe("42501");
  });
});

describe("the counter's list", () => {
  it("lists usable grants first, and why the others are not usable here", async () => {
    const member = await newMember();
    const parking = await grantTier(member, await define());
    const hotelOnly = await grantTier(member, await define({ kind: "coupon", value: 100, uses_per_period: 1, accepting_unit_codes: ["hotel"] }));
    const spent = await grantTier(member, await define({ uses_per_period: 1 }));
    await ok(verify(spent.id));
    const list = async (who: string, unit: string) => {
      const r = await as(who, "select coalesce(jsonb_agg(b), '[]') as l from usable_benefits($1, $2) b", [member, unit]);
      if (!r.ok) throw r.error;
      // The member holds every standard-tier test definition's grant: look at this test's three.
      return (r.value.l as { grant_id: string; usable: boolean; refusal: string | null; name: string; kind: string; uses_left: number }[])
        .filter((b) => [parking.id, hotelOnly.id, spent.id].includes(b.grant_id));
    };
    const atMall = await list(STAFF, mall);
    expect(atMall[0].grant_id).toBe(parking.id);
    expect(Object.fromEntries(atMall.map((b) => [b.grant_id, b.refusal])))
      .toEqual({ [parking.id]: null, [hotelOnly.id]: "not_accepted_here", [spent.id]: "used_up" });
    expect(atMall[0]).toMatchObject({ usable: true, kind: "parking_hours", uses_left: 4 });
    const atHotel = await list(HOTEL_STAFF, hotel);
    expect(atHotel.find((b) => b.grant_id === hotelOnly.id)).toMatchObject({ usable: true, refusal: null });
    expect((await refused(as(HOTEL_STAFF, "select count(*) from usable_benefits($1, $2)", [member, mall]))).hint).toBe("unit_role_required");
    for (const refusal of BENEFIT_REFUSALS) expect(benefitRefusalHint(refusal)).toMatch(/^(benefit_|member_inactive)/);
  });
});

describe("manual grants", () => {
  it("only through the approval flow: the requester cannot approve, the approved grant appears once", async () => {
    const member = await newMember();
    const defKey = await define({ grant_on_tiers: null, kind: "gift", value: 1, uses_per_period: 1 });
    // No role inserts a grant.
    const direct = await as(MALL_MANAGER, "insert into benefit_grants (member_id, definition_key, definition_version, source, source_ref, period_key, uses_total, uses_left, valid_from, valid_until, issuing_unit_id) values ($1, $2, 1, 'approval', 'x', 'once', 1, 1, now(), now() + interval '1 day', $3) returning id", [member, defKey, mall]);
    expect(direct.ok ? "ok" : direct.error.code).toBe("42501");
    const request = async (who: string, uses: number, k = key("request"), unit = mall) =>
      as(who, "select * from request_benefit_grant($1, $2, $3, $4, $5, $6)", [member, defKey, uses, "顾客投诉补偿", unit, k]);
    expect((await refused(request(HOTEL_STAFF, 1))).hint).toBe("unit_role_required");
    expect((await refused(request(STAFF, 0))).hint).toBe("benefit_uses_invalid");
    expect((await refused(as(STAFF, "select * from request_benefit_grant($1, 'no-such-benefit', 1, 'x', $2, $3)", [member, mall, key()]))).hint).toBe("benefit_definition_unknown");
    const k = key("request");
    const req = await ok(request(MALL_MANAGER, 3, k));
    expect(req).toMatchObject({ status: "pending", action: "benefit_grant" });
    expect((await ok(request(MALL_MANAGER, 3, k))).id).toBe(req.id);
    const task = (await db.query("select id from approval_tasks where request_id = $1 and status = 'pending'", [req.id])).rows[0].id;
    expect((await refused(as(MALL_MANAGER, "select * from decide_approval_task($1, 'approve')", [task]))).code).toBe("42501");
    expect(Number((await db.query("select count(*) from benefit_grants where member_id = $1 and definition_key = $2", [member, defKey])).rows[0].count)).toBe(0);
    // Another approver (an administrator) approves: the grant appears once.
    const admin = (await db.query("select p.email from staff_profiles p join role_assignments r on r.user_id = p.user_id where r.role = 'admin' limit 1")).rows[0].email;
    const done = await ok(as(admin, "select * from decide_approval_task($1, 'approve')", [task]));
    expect(done.status).toBe("approved");
    const grants = (await db.query("select * from benefit_grants where member_id = $1 and definition_key = $2", [member, defKey])).rows;
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ source: "approval", source_ref: req.id, uses_total: 3, uses_left: 3 });
    // Above the threshold the director decides too.
    const big = await ok(request(STAFF, 11));
    const first = (await db.query("select id from approval_tasks where request_id = $1 and status = 'pending'", [big.id])).rows[0].id;
    expect((await ok(as(MALL_MANAGER, "select * from decide_approval_task($1, 'approve')", [first]))).status).toBe("pending");
    const second = (await db.query("select approver_role from approval_tasks where request_id = $1 and status = 'pending'", [big.id])).rows[0];
    expect(second.approver_role).toBe("director");
  });
});

describe("the trail", () => {
  it("each use is audited with its reason and leaves a notice for the member; grants only go down; expiry marks them", async () => {
    const member = await newMember();
    const grant = await grantTier(member, await define());
    const use = await ok(verify(grant.id));
    const audit = (await db.query(
      "select actor_id, reason from audit_log where table_name = 'benefit_uses' and record_id = $1", [String(use.id)])).rows;
    expect(audit).toEqual([{ actor_id: users[STAFF], reason: "benefit-use" }]);
    const notice = (await db.query(
      "select channel, payload from notifications_outbox where member_id = $1 and template = 'benefit_used'", [member])).rows;
    expect(notice).toHaveLength(1);
    expect(notice[0].payload).toMatchObject({ grant_id: grant.id, uses: 1, uses_left: 3, business_unit: "mall" });
    // Not even a privileged connection raises a grant's uses or edits what it is.
    for (const sql of ["update benefit_grants set uses_left = 4 where id = $1", "update benefit_grants set valid_until = valid_until + interval '1 day' where id = $1",
      "delete from benefit_grants where id = $1"]) {
      const error = await db.query(sql, [grant.id]).then(() => null, (e: pg.DatabaseError) => e);
      expect(error?.hint, sql).toMatch(/^(benefit_grant_fixed|append_only)$/);
    }
    const old = await grantTier(member, await define({ validity_days: 1 }), "now() - interval '2 days'");
    await db.query("select private.expire_benefit_grants(now())");
    expect((await db.query("select status from benefit_grants where id = $1", [old.id])).rows[0].status).toBe("expired");
    expect((await refused(verify(old.id))).hint).toBe("benefit_expired");
  });
});

describe("publishing", () => {
  it("administrators publish drafts; with publish approval on, publish_benefit refuses them and a request is filed instead", async () => {
    const admin = "admin@demo.test";
    const draftKey = `t-draft-${key("d").replace(/[^a-z0-9]+/g, "-").slice(-30)}`;
    const draft = await as(admin, `insert into benefit_definitions (key, version, name, kind, value, issuing_unit_id, grant_on_tiers)
      values ($1, 1, '草稿权益', 'gift', 1, $2, '{gold}') returning status`, [draftKey, mall]);
    expect(draft.ok ? draft.value.status : draft.error.message).toBe("draft");
    expect((await refused(as(STAFF, "select status from publish_benefit($1, 1)", [draftKey]))).hint).toBe("admin_only");
    try {
      await ok(as(admin, "select * from set_definition_publish_approval('benefit', true, '测试')", []));
      expect((await refused(as(admin, "select status from publish_benefit($1, 1)", [draftKey]))).hint).toBe("definition_publish_needs_approval");
      const request = await ok(as(admin, "select * from request_definition_publish('benefit', $1, 1, $2)", [draftKey, key("publish")]));
      expect(request).toMatchObject({ status: "pending", action: "definition_publish" });
    } finally {
      await ok(as(admin, "select * from set_definition_publish_approval('benefit', false, '测试结束')", []));
    }
    expect((await ok(as(admin, "select status from publish_benefit($1, 1)", [draftKey]))).status).toBe("published");
    // A published version is frozen.
    const edit = await as(admin, "update benefit_definitions set value = 2 where key = $1 returning id", [draftKey]);
    expect(edit.ok ? (edit.value ? "edited" : "no row") : edit.error.hint).not.toBe("edited");
  });
});
