/**
 * Benefits, second part, against the real database: grants to a list of members through the approval flow
 * benefit-campaign (bad lists refused whole, parallel filings make one request, each member granted once even when
 * the runner runs again); revoking a grant (who may, once under concurrency, audited, refused at the counter after);
 * the counter's list asked with "paying with points"; tier benefits for a member joining at a granting tier.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BENEFIT_LIMITS } from "../../core/enums/index.ts";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { outcome, roleSessions } from "./role-session.ts";
import { superuser } from "./stack-env.ts";

let db: pg.Client;
let mall: string;
let session: Awaited<ReturnType<typeof roleSessions>>;
const { key, newMember, units } = ledgerHelpers("benefit-campaigns", () => db);
let defNo = 0;

/** A published test definition issued by the mall (granted to nobody by tier unless `grant_on_tiers` says so). */
async function define(columns: Record<string, unknown> = {}) {
  const row = {
    key: `c-${Date.now().toString(36)}-${++defNo}`, version: 1, status: "published", name: "批量测试权益", kind: "gift", value: 1,
    uses_per_period: 1, period: "once", validity_days: 31, issuing_unit_id: mall, accepting_unit_codes: ["mall"], grant_on_tiers: null,
    ...columns,
  };
  const names = Object.keys(row);
  await db.query(`insert into benefit_definitions (${names.join(", ")}) values (${names.map((_, i) => `$${i + 1}`).join(", ")})`, Object.values(row));
  return row.key;
}
/** n new active members, one after another on the one connection. */
async function newMembers(n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await newMember());
  return ids;
}
const connect = (n: number) => Promise.all(Array.from({ length: n }, () => superuser()));
const memberNo = async (id: string) => (await db.query("select member_no, phone from members where id = $1", [id])).rows[0] as { member_no: string; phone: string };
const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].count);
const campaign = (refs: string[], defKey: string, opts: { uses?: number; reason?: string; unit?: string; k?: string } = {}) =>
  [defKey, refs, opts.uses ?? 1, opts.reason ?? "会员日活动赠礼", opts.unit ?? mall, opts.k ?? key("campaign")];
const REQUEST = "select * from request_benefit_campaign($1, $2, $3, $4, $5, $6)";

async function approveAll(requestId: string) {
  for (;;) {
    const { rows } = await db.query("select id from approval_tasks where request_id = $1 and status = 'pending'", [requestId]);
    if (!rows.length) return;
    await session.commitAs("admin", "select decide_approval_task($1, 'approve')", [rows[0].id]);
  }
}

beforeAll(async () => {
  db = await superuser();
  ({ mall } = await units());
  session = await roleSessions(db);
});
afterAll(async () => {
  await db?.query("update benefit_definitions set status = 'archived' where key like 'c-%' and status = 'published'");
  await db?.end();
});

describe("campaign grants", () => {
  it("a bad list is refused whole with its reason and files nothing", async () => {
    const defKey = await define();
    const good = await memberNo(await newMember());
    const frozen = await memberNo(await newMember("frozen"));
    const before = await count("select count(*) from approval_requests where action = 'benefit_campaign'");
    const cases: [unknown[], string, "staff" | "manager"][] = [
      [campaign([good.member_no, "M00000000"], defKey), "campaign_members_unknown", "staff"],
      [campaign([good.member_no, frozen.member_no], defKey), "campaign_members_inactive", "staff"],
      [campaign([], defKey), "campaign_members_count", "staff"],
      [campaign(["  "], defKey), "campaign_members_count", "staff"],
      [campaign([good.member_no], defKey, { uses: 0 }), "benefit_uses_invalid", "staff"],
      [campaign([good.member_no], defKey, { uses: BENEFIT_LIMITS.max_manual_uses + 1 }), "benefit_uses_invalid", "staff"],
      [campaign([good.member_no], defKey, { reason: " " }), "reason_required", "staff"],
      [campaign([good.member_no], "no-such-benefit"), "benefit_definition_unknown", "staff"],
      [campaign([good.member_no], defKey, { k: "short" }), "idempotency_key_invalid", "staff"],
      // The hotel manager has no role at the mall.
      [campaign([good.member_no], defKey), "unit_role_required", "manager"],
    ];
    for (const [params, hint, who] of cases) expect(outcome(await session.attempt(who, REQUEST, params)), hint).toBe(hint);
    const tooMany = Array.from({ length: BENEFIT_LIMITS.max_campaign_members + 1 }, (_, i) => `M${90000000 + i}`);
    expect(outcome(await session.attempt("staff", REQUEST, campaign(tooMany, defKey)))).toBe("campaign_members_count");
    expect(await count("select count(*) from approval_requests where action = 'benefit_campaign'")).toBe(before);
    expect(await count("select count(*) from benefit_grants where definition_key = $1", [defKey])).toBe(0);
  });

  it("ten parallel filings under one key make one request; the approval grants each member once, a rerun none", async () => {
    const defKey = await define({ kind: "coupon", value: 5000 });
    const members = await newMembers(3);
    const refs: { member_no: string; phone: string }[] = [];
    for (const m of members) refs.push(await memberNo(m));
    // Member numbers and phones both name a member; a member named twice counts once.
    const list = [refs[0].member_no, refs[1].phone, refs[2].member_no, refs[0].phone];
    const k = key("parallel");
    const clients = await connect(10);
    try {
      const results = await Promise.all(clients.map(async (c) => (await roleSessions(c)).commitAs("staff", REQUEST, campaign(list, defKey, { k }))));
      const ids = new Set(results.map((rows) => rows[0].id as string));
      expect(ids.size).toBe(1);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    const request = (await db.query("select * from approval_requests where idempotency_key = $1", [k])).rows;
    expect(request).toHaveLength(1);
    expect(request[0]).toMatchObject({ action: "benefit_campaign", member_id: null, status: "pending" });
    expect(request[0].data).toMatchObject({ definition_key: defKey, member_count: 3, total_uses: 3, uses: 1 });
    expect(await count("select count(*) from approval_request_members where request_id = $1", [request[0].id])).toBe(3);
    expect(await count("select count(*) from benefit_grants where definition_key = $1", [defKey])).toBe(0);

    await approveAll(request[0].id);
    const done = (await db.query("select status, result from approval_requests where id = $1", [request[0].id])).rows[0];
    expect(done).toMatchObject({ status: "approved", result: { granted: 3, already_granted: 0, skipped_inactive: 0 } });
    const grants = (await db.query("select member_id, source, source_ref, uses_total, code from benefit_grants where definition_key = $1", [defKey])).rows;
    expect(grants.map((g) => g.member_id).sort()).toEqual([...members].sort());
    for (const g of grants) {
      expect(g).toMatchObject({ source: "campaign", source_ref: request[0].id, uses_total: 1 });
      expect(g.code).toMatch(/^[A-HJ-NP-Z2-9]{12}$/);
    }
    const rerun = (await db.query("select private.run_benefit_campaign(r) as result from approval_requests r where r.id = $1", [request[0].id])).rows[0];
    expect(rerun.result).toEqual({ granted: 0, already_granted: 3, skipped_inactive: 0 });
    expect(await count("select count(*) from benefit_grants where definition_key = $1", [defKey])).toBe(3);
    // The requester reads the list.
    expect((await session.attempt("staff", "select count(*) from approval_request_members where request_id = $1", [request[0].id]) as { ok: true; value: pg.QueryResult }).value.rows[0].count).toBe("3");
  });

  it("a member frozen before the approval is skipped; above the threshold the director approves too", async () => {
    const defKey = await define();
    const members = await newMembers(11);
    const refs: string[] = [];
    for (const m of members) refs.push((await memberNo(m)).member_no);
    const [request] = await session.commitAs("staff", REQUEST, campaign(refs, defKey, { uses: 100 }));
    expect(request.data.total_uses).toBe(1100);
    await db.query("update members set status = 'frozen' where id = $1", [members[0]]);
    const first = (await db.query("select id from approval_tasks where request_id = $1 and status = 'pending'", [request.id])).rows[0].id;
    await session.commitAs("admin", "select decide_approval_task($1, 'approve')", [first]);
    const next = (await db.query("select approver_role from approval_tasks where request_id = $1 and status = 'pending'", [request.id])).rows;
    expect(next).toEqual([{ approver_role: "director" }]);
    await approveAll(request.id);
    const done = (await db.query("select status, result from approval_requests where id = $1", [request.id])).rows[0];
    expect(done).toMatchObject({ status: "approved", result: { granted: 10, already_granted: 0, skipped_inactive: 1 } });
  });
});

describe("revoking a grant", () => {
  it("managers and directors of the issuing unit revoke an active grant once, with a reason; the counter then refuses it", async () => {
    const defKey = await define({ kind: "parking_hours", value: 2, uses_per_period: 3 });
    const member = await newMember();
    const [req] = await session.commitAs("staff", REQUEST, campaign([(await memberNo(member)).member_no], defKey, { uses: 3 }));
    await approveAll(req.id);
    const grant = (await db.query("select id from benefit_grants where member_id = $1 and definition_key = $2", [member, defKey])).rows[0].id as string;
    const REVOKE = "select * from revoke_benefit_grant($1, $2)";
    // Counter staff, the hotel's manager and analysts may not; a reason is required; unknown grants are named.
    for (const who of ["staff", "manager", "analyst", "marketing"] as const) {
      expect(outcome(await session.attempt(who, REVOKE, [grant, "误发"])), who).toBe("unit_role_required");
    }
    expect(outcome(await session.attempt("director", REVOKE, [grant, "  "]))).toBe("reason_required");
    expect(outcome(await session.attempt("director", REVOKE, ["00000000-0000-4000-8000-000000000000", "误发"]))).toBe("benefit_grant_unknown");
    expect((await db.query("select status from benefit_grants where id = $1", [grant])).rows[0].status).toBe("active");

    // Ten directors' sessions at once: one revocation, one notice, every caller gets the revoked grant.
    const clients = await connect(10);
    try {
      const results = await Promise.all(clients.map(async (c) => (await roleSessions(c)).commitAs("director", REVOKE, [grant, "活动规则调整，收回未用权益"])));
      for (const rows of results) expect(rows[0]).toMatchObject({ id: grant, status: "revoked", uses_left: 3 });
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    expect((await db.query("select reason, revoked_by from benefit_grant_revocations where grant_id = $1", [grant])).rows)
      .toEqual([{ reason: "活动规则调整，收回未用权益", revoked_by: session.users.director }]);
    expect(await count("select count(*) from notifications_outbox where member_id = $1 and template = 'benefit_revoked'", [member])).toBe(1);
    expect((await db.query("select reason from audit_log where table_name = 'benefit_grants' and record_id = $1 and action = 'UPDATE'", [grant])).rows)
      .toEqual([{ reason: "benefit-revoke" }]);
    expect(outcome(await session.attempt("staff", "select * from verify_benefit_use($1, $2, 1, $3)", [grant, mall, key("use")]))).toBe("benefit_not_eligible");
    const listed = (await session.attempt("staff", "select usable, refusal from usable_benefits($1, $2) where grant_id = $3", [member, mall, grant]) as { ok: true; value: pg.QueryResult }).value.rows;
    expect(listed).toEqual([{ usable: false, refusal: "not_eligible" }]);
  });

  it("a used-up grant cannot be revoked", async () => {
    const defKey = await define();
    const member = await newMember();
    const [req] = await session.commitAs("staff", REQUEST, campaign([(await memberNo(member)).member_no], defKey));
    await approveAll(req.id);
    const grant = (await db.query("select id from benefit_grants where member_id = $1 and definition_key = $2", [member, defKey])).rows[0].id as string;
    await session.commitAs("staff", "select * from verify_benefit_use($1, $2, 1, $3)", [grant, mall, key("use")]);
    expect(outcome(await session.attempt("director", "select * from revoke_benefit_grant($1, '误发')", [grant]))).toBe("benefit_grant_not_active");
    expect(await count("select count(*) from benefit_grant_revocations where grant_id = $1", [grant])).toBe(0);
  });
});

describe("the counter and joining members", () => {
  it("asked with paying by points, a benefit that does not stack with points says so up front", async () => {
    const lone = await define({ kind: "discount_percent", value: 10, stacks_with_points: false });
    const friendly = await define({ kind: "discount_percent", value: 5, stacks_with_points: true });
    const member = await newMember();
    const [req1] = await session.commitAs("staff", REQUEST, campaign([(await memberNo(member)).member_no], lone));
    const [req2] = await session.commitAs("staff", REQUEST, campaign([(await memberNo(member)).member_no], friendly));
    await approveAll(req1.id);
    await approveAll(req2.id);
    const list = async (withPoints: boolean) => Object.fromEntries(
      ((await session.attempt("staff", "select definition_key, refusal from usable_benefits($1, $2, $3)", [member, mall, withPoints])) as { ok: true; value: pg.QueryResult })
        .value.rows.map((r) => [r.definition_key, r.refusal]));
    expect(await list(false)).toEqual({ [lone]: null, [friendly]: null });
    expect(await list(true)).toEqual({ [lone]: "does_not_stack", [friendly]: null });
  });

  it("a member who joins at a granting tier holds its benefits at once", async () => {
    const tier = (await db.query("select code from tiers order by rank limit 1")).rows[0].code as string;
    const defKey = await define({ kind: "gift", grant_on_tiers: [tier], period: "year", uses_per_period: 1 });
    const member = await newMember();
    const grants = (await db.query("select source, uses_left from benefit_grants where member_id = $1 and definition_key = $2", [member, defKey])).rows;
    expect(grants).toEqual([{ source: "tier", uses_left: 1 }]);
  });
});
