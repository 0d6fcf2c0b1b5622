/**
 * A member's status changes only through set_member_status: managers of the member's home unit (or group-wide
 * roles) freeze, unfreeze and cancel with a reason that the audit row keeps; a frozen member earns nothing;
 * cancelling is final; every refusal names its reason and changes nothing; parallel calls change it once.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { roleSessions } from "./role-session.ts";
import { signedIn, superuser } from "./stack-env.ts";

let db: pg.Client;
let mall: string;
let hotel: string;
let session: Awaited<ReturnType<typeof roleSessions>>;
const { newMember, units } = ledgerHelpers("member-status", () => db);

beforeAll(async () => {
  db = await superuser();
  ({ mall, hotel } = await units());
  session = await roleSessions(db);
});

afterAll(async () => {
  await db?.end();
});

async function memberOf(unit: string) {
  const m = await newMember();
  await db.query("update members set home_business_unit_id = $2 where id = $1", [m, unit]);
  return m;
}

const statusOf = async (m: string) => (await db.query("select status from members where id = $1", [m])).rows[0].status as string;
const auditRows = async (m: string) =>
  (await db.query(
    `select reason, before->>'status' as before, after->>'status' as after from audit_log
     where table_name = 'members' and record_id = $1::text and action = 'UPDATE'
       and before->>'status' is distinct from after->>'status' order by id`, [m])).rows;

const setStatus = (status: string, reason: string | null = "会员申请暂停") =>
  `select public.set_member_status($1, '${status}', ${reason === null ? "null" : `'${reason}'`}) as status`;

describe("set_member_status", () => {
  it("the home unit's manager freezes with a reason (audited), the member then earns nothing, and unfreezes", async () => {
    const m = await memberOf(hotel);
    const frozen = await session.commitAs("manager", setStatus("frozen", "疑似盗用，暂停使用"), [m]);
    expect(frozen[0].status).toBe("frozen");
    expect(await statusOf(m)).toBe("frozen");
    expect(await auditRows(m)).toEqual([{ reason: "疑似盗用，暂停使用", before: "active", after: "frozen" }]);

    const earn = await session.attempt("admin",
      "select public.earn_points($1, $2, 10, $3, 'other')", [m, hotel, `member-status:${m}`]);
    expect(earn.ok).toBe(false);
    if (!earn.ok) expect(earn.error.hint).toBe("member_inactive");

    await session.commitAs("manager", setStatus("active", "核实为本人"), [m]);
    expect(await statusOf(m)).toBe("active");
  });

  it("a manager of another unit, staff and analysts are refused and nothing changes", async () => {
    const m = await memberOf(mall);
    for (const who of ["manager", "staff", "analyst"] as const) {
      const r = await session.attempt(who, setStatus("frozen"), [m]);
      expect(r.ok).toBe(false);
      if (!r.ok) expect([r.error.code, r.error.hint]).toEqual(["42501", "member_outside_units"]);
    }
    expect(await statusOf(m)).toBe("active");
    expect(await auditRows(m)).toEqual([]);
  });

  it("group-wide directors and admins act on any unit's member", async () => {
    const m = await memberOf(mall);
    expect((await session.commitAs("director", setStatus("frozen"), [m]))[0].status).toBe("frozen");
    expect((await session.commitAs("admin", setStatus("active"), [m]))[0].status).toBe("active");
  });

  it.each([
    ["no reason", null, "reason_required"],
    ["a blank reason", "   ", "reason_required"],
    ["a reason over 500 characters", "长".repeat(501), "reason_too_long"],
  ])("%s is refused and changes nothing", async (_label, reason, hint) => {
    const m = await memberOf(hotel);
    const r = await session.attempt("manager", setStatus("frozen", reason), [m]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.error.code, r.error.hint]).toEqual(["22023", hint]);
    expect(await statusOf(m)).toBe("active");
  });

  it("an unknown member answers not found", async () => {
    const r = await session.attempt("manager", setStatus("frozen"), ["00000000-0000-0000-0000-000000000001"]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.error.code, r.error.hint]).toEqual(["PT404", "member_unknown"]);
  });

  it("cancelling is final; the same status again changes nothing and leaves no audit row", async () => {
    const m = await memberOf(hotel);
    await session.commitAs("manager", setStatus("cancelled", "会员本人申请注销"), [m]);
    expect((await session.commitAs("manager", setStatus("cancelled"), [m]))[0].status).toBe("cancelled");
    expect(await auditRows(m)).toHaveLength(1);
    for (const status of ["active", "frozen"]) {
      const r = await session.attempt("admin", setStatus(status), [m]);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.hint).toBe("member_cancelled_final");
    }
    expect(await statusOf(m)).toBe("cancelled");
  });

  it("a merged record keeps its status", async () => {
    const survivor = await memberOf(hotel);
    const merged = await memberOf(hotel);
    await session.commitAs("manager", "select public.merge_members($1, $2, true)", [survivor, merged]);
    const r = await session.attempt("manager", setStatus("frozen"), [merged]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.hint).toBe("member_merged");
  });

  it("ten parallel freezes through the API change the status once", async () => {
    const m = await memberOf(hotel);
    const { client: manager } = await signedIn("manager@demo.test");
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => manager.rpc("set_member_status", { p_member_id: m, p_status: "frozen", p_reason: "并发冻结" })),
    );
    expect(answers.map((a) => [a.error, a.data])).toEqual(Array(10).fill([null, "frozen"]));
    expect(await auditRows(m)).toEqual([{ reason: "并发冻结", before: "active", after: "frozen" }]);
  });
});
