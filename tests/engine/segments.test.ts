/**
 * Segments and care: a segment's count equals a plain SQL query over the same condition; refreshing twice gives
 * the same membership; a live preview counts what the refresh stores; a failing condition fails alone; care tasks
 * open once per member and unit even when the job runs in parallel; each unit's staff see their own tasks; a
 * follow-up closes the task; reminders list the coming birthdays and anniversaries of a unit's members.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEGMENT_LIMITS, FOLLOWUP_CHANNELS, FOLLOWUP_OUTCOMES } from "../../core/segments/limits.ts";
import { refreshSegments, runSegmentPreview } from "../../engine/segments.ts";
import { databaseUrl, superuser } from "../db/stack-env.ts";
import { insertTransaction, newMembers, uniqueName, waitFor } from "./helpers.ts";

let db: pg.Client;
let pool: pg.Pool;
const DAY = 86_400_000;
let hotel: string;
let mall: string;

beforeAll(async () => {
  db = await superuser();
  pool = new pg.Pool({ connectionString: databaseUrl(), max: 8 });
  hotel = (await db.query("select id from business_units where code = 'hotel'")).rows[0].id;
  mall = (await db.query("select id from business_units where code = 'mall'")).rows[0].id;
});
afterAll(async () => {
  await pool?.end();
  await db?.end();
});

/** Runs `fn` as the demo user `email` the way PostgREST does, committed (or rolled back when it throws). */
async function asUser<T>(email: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const user = (await db.query("select user_id from staff_profiles where email = $1", [email])).rows[0].user_id as string;
  await db.query("begin");
  try {
    await db.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ sub: user, role: "authenticated", email })]);
    await db.query("set local role authenticated");
    const result = await fn(db);
    await db.query("commit");
    return result;
  } catch (error) {
    await db.query("rollback");
    throw error;
  }
}
const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
    return "ok";
  } catch (error) {
    return (error as pg.DatabaseError).hint ?? (error as pg.DatabaseError).code;
  }
};

/** Publishes `logic` as a new segment (as the superuser) and returns its key. */
async function publishSegment(logic: unknown): Promise<string> {
  const key = uniqueName("seg").replace(/[^a-z0-9_.-]/g, "-");
  await db.query("insert into segment_definitions (key, version, name, logic) values ($1, 1, $1, $2)", [key, JSON.stringify(logic)]);
  await db.query("select publish_segment($1, 1)", [key]);
  return key;
}

const members = async (key: string) =>
  (await db.query("select member_id, since from segment_members where segment_key = $1 order by member_id", [key])).rows as { member_id: string; since: Date }[];

/** Gold members whose last purchase is 90 or more business days ago. */
const INACTIVE_GOLD = {
  and: [
    { "==": [{ var: "member.tier" }, "gold"] },
    { ">=": [{ var: "stats.days_since_purchase" }, 90] },
  ],
};
const INACTIVE_GOLD_SQL = `
  select m.id from members m join tiers t on t.id = m.tier_id
  where m.status = 'active' and m.merged_into is null and t.code = 'gold'
    and (select (now() at time zone 'Asia/Shanghai')::date - (max(x.occurred_at) at time zone 'Asia/Shanghai')::date
         from transactions x where x.member_id = m.id and x.occurred_at <= now()) >= 90
  order by m.id`;

/** Tagged 流失预警, or spent 500 yuan or more in the last 90 days at 2 or more units. */
const TAG_OR_SPEND = {
  or: [
    { has_tag: [{ var: "member.tags" }, "流失预警"] },
    { and: [{ ">=": [{ var: "stats.amount_90d" }, 500] }, { ">=": [{ var: "stats.unit_count_90d" }, 2] }] },
  ],
};
const TAG_OR_SPEND_SQL = `
  select m.id from members m
  where m.status = 'active' and m.merged_into is null
    and ('流失预警' = any (m.tags)
         or (select coalesce(sum(x.amount), 0) >= 500 and count(distinct x.business_unit_id) >= 2 from transactions x
             where x.member_id = m.id and x.occurred_at > now() - interval '90 days' and x.occurred_at <= now()))
  order by m.id`;

describe("segments", () => {
  let inactive: string;
  let active: string;
  let churned: string;

  beforeAll(async () => {
    [inactive, active] = await newMembers(db, 2, "gold");
    [churned] = await newMembers(db, 1, "silver");
    await insertTransaction(db, inactive, mall, 120, new Date(Date.now() - 200 * DAY));
    await insertTransaction(db, active, mall, 300, new Date(Date.now() - 10 * DAY));
    await insertTransaction(db, active, hotel, 400, new Date(Date.now() - 5 * DAY));
    await db.query("update members set tags = array['流失预警'] where id = $1", [churned]);
  });

  it("holds the caps and lists SQL holds", async () => {
    expect((await db.query("select private.segment_limits() as l")).rows[0].l).toEqual(SEGMENT_LIMITS);
    const lists = (await db.query("select private.followup_channels() as c, private.followup_outcomes() as o")).rows[0];
    expect(lists.c).toEqual([...FOLLOWUP_CHANNELS]);
    expect(lists.o).toEqual([...FOLLOWUP_OUTCOMES]);
  });

  it("count the same members as a plain SQL query over the same condition, and a second refresh changes nothing", async () => {
    for (const [logic, sql] of [[INACTIVE_GOLD, INACTIVE_GOLD_SQL], [TAG_OR_SPEND, TAG_OR_SPEND_SQL]] as const) {
      const key = await publishSegment(logic);
      const first = await refreshSegments(pool, { segmentKey: key });
      expect(first).toMatchObject({ segments: 1, failed: 0 });
      const expected = (await db.query(sql)).rows.map((r) => r.id as string);
      const stored = await members(key);
      expect(stored.map((r) => r.member_id)).toEqual(expected);
      expect(first.members).toBe(expected.length);
      expect(expected.length).toBeGreaterThan(0);
      const refresh = (await db.query("select * from segment_refreshes where segment_key = $1", [key])).rows[0];
      expect(refresh).toMatchObject({ members: expected.length, error: null, segment_version: 1 });

      await refreshSegments(pool, { segmentKey: key });
      expect(await members(key)).toEqual(stored);
      const again = (await db.query("select added, removed from segment_refreshes where segment_key = $1", [key])).rows[0];
      expect(again).toEqual({ added: 0, removed: 0 });
    }
    const inactiveKey = (await db.query("select key from segment_definitions where logic = $1 order by created_at desc limit 1", [JSON.stringify(INACTIVE_GOLD)])).rows[0].key;
    const ids = (await members(inactiveKey)).map((r) => r.member_id);
    expect(ids).toContain(inactive);
    expect(ids).not.toContain(active);
  });

  it("a live preview counts what SQL counts, with a sample the editor may show; a condition that fails fails alone", async () => {
    const expected = (await db.query(INACTIVE_GOLD_SQL)).rows.map((r) => r.id as string);
    const preview = await asUser("marketing@demo.test", (c) =>
      c.query("insert into segment_previews (logic) values ($1) returning id", [JSON.stringify(INACTIVE_GOLD)]));
    const id = preview.rows[0].id as string;
    await runSegmentPreview(pool, id); // the stack's engine may have taken it first: either way it runs once
    const done = await waitFor("the preview", async () => {
      const { rows } = await db.query("select status, members, sample, error from segment_previews where id = $1", [id]);
      return rows[0].status === "done" || rows[0].status === "failed" ? rows[0] : undefined;
    });
    expect(done).toMatchObject({ status: "done", members: expected.length, error: null });
    expect(done.sample.length).toBe(Math.min(SEGMENT_LIMITS.sample_size, expected.length));
    for (const m of done.sample) expect(expected).toContain(m);
    const sample = await asUser("marketing@demo.test", (c) => c.query("select * from segment_preview_sample($1)", [id]));
    expect(sample.rows.map((r) => r.member_id)).toEqual(done.sample);

    // Calendar arithmetic on a member who never bought (null) is refused by the evaluator: the preview fails with why.
    const bad = await asUser("marketing@demo.test", (c) =>
      c.query("insert into segment_previews (logic) values ($1) returning id",
        [JSON.stringify({ ">": [{ days_between: [{ var: "stats.last_purchase_on" }, { var: "now" }] }, 1] })]));
    await runSegmentPreview(pool, bad.rows[0].id);
    const failed = await waitFor("the failing preview", async () => {
      const { rows } = await db.query("select status, error from segment_previews where id = $1", [bad.rows[0].id]);
      return rows[0].status === "failed" || rows[0].status === "done" ? rows[0] : undefined;
    });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/days_between/);

    // Staff draft no segments and ask no previews; a malformed condition is refused with its reason.
    expect(await refusal(asUser("staff@demo.test", (c) => c.query("insert into segment_previews (logic) values ('true')")))).toBe("42501");
    expect(await refusal(asUser("marketing@demo.test", (c) =>
      c.query("insert into segment_previews (logic) values ($1)", [JSON.stringify({ nope: [1] })])))).toBe("segment_logic_invalid");
  });

  it("marketing drafts and publishes a segment directly, or through approval when the setting says so", async () => {
    const key = uniqueName("segm").replace(/[^a-z0-9_.-]/g, "-");
    await asUser("marketing@demo.test", (c) =>
      c.query("insert into segment_definitions (key, version, name, logic) values ($1, 1, '测试客群', $2)", [key, JSON.stringify(INACTIVE_GOLD)]));
    expect(await refusal(asUser("staff@demo.test", (c) => c.query("select publish_segment($1, 1)", [key])))).toBe("definition_drafter_only");
    await db.query("insert into definition_publish_settings (kind, needs_approval) values ('segment', true) on conflict (kind) do update set needs_approval = true");
    try {
      expect(await refusal(asUser("marketing@demo.test", (c) => c.query("select publish_segment($1, 1)", [key])))).toBe("definition_publish_needs_approval");
      const request = await asUser("marketing@demo.test", (c) =>
        c.query("select status, action from request_definition_publish('segment', $1, 1, $2)", [key, uniqueName("idem")]));
      expect(request.rows[0]).toEqual({ status: "pending", action: "definition_publish" });
    } finally {
      await db.query("update definition_publish_settings set needs_approval = false where kind = 'segment'");
    }
    await asUser("marketing@demo.test", async (c) => {
      return c.query("select publish_segment($1, 1)", [key]);
    });
    expect((await db.query("select status from segment_definitions where key = $1", [key])).rows[0].status).toBe("published");
    const ids = await asUser("marketing@demo.test", async (c) => {
      await waitFor("the refresh after publishing", async () =>
        (await c.query("select 1 from segment_refreshes where segment_key = $1", [key])).rowCount === 1);
      return (await c.query("select segment_member_ids($1) as id", [key])).rows.map((r) => r.id);
    });
    expect(ids).toEqual((await db.query(INACTIVE_GOLD_SQL)).rows.map((r) => r.id));
    expect(await refusal(asUser("staff@demo.test", (c) => c.query("select segment_member_ids($1)", [key])))).toBe("segment_read_denied");
  });
});

describe("care tasks", () => {
  it("open once per member and unit, even with the job run in parallel; each unit's staff see their own; a follow-up closes it", async () => {
    const tag = `关怀${Date.now().toString(36).slice(-6)}`;
    const [member] = await newMembers(db, 1, "gold");
    await db.query("update members set tags = array[$2], home_business_unit_id = $3 where id = $1", [member, tag, hotel]);
    await asUser("marketing@demo.test", (c) =>
      c.query("insert into care_triggers (name, source, tag, business_unit_id, due_days) values ('测试关怀', 'tag', $1, $2, 5)", [tag, hotel]));
    await Promise.all(Array.from({ length: 6 }, () => pool.query("select open_care_tasks()")));
    await pool.query("select open_care_tasks()");
    const tasks = (await db.query("select id, status, due_on::text as due_on, business_unit_id from care_tasks where member_id = $1", [member])).rows;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ status: "open", business_unit_id: hotel });
    const today = (await db.query("select private.business_today()::text as d")).rows[0].d as string;
    expect(Date.parse(tasks[0].due_on) - Date.parse(today)).toBe(5 * DAY);

    const seen = async (email: string) =>
      asUser(email, async (c) => (await c.query("select id from care_tasks where member_id = $1", [member])).rowCount);
    expect(await seen("hotel.staff@demo.test")).toBe(1);
    expect(await seen("staff@demo.test")).toBe(0);
    expect(await seen("marketing@demo.test")).toBe(1);

    // Mall staff cannot follow up for the hotel; bad inputs are refused with their reason.
    expect(await refusal(asUser("staff@demo.test", (c) =>
      c.query("select record_followup($1, $2, 'phone', 'reached', '电话回访')", [member, hotel])))).toBe("followup_unit_denied");
    expect(await refusal(asUser("hotel.staff@demo.test", (c) =>
      c.query("select record_followup($1, $2, 'pigeon', 'reached', '电话回访')", [member, hotel])))).toBe("followup_channel_invalid");
    expect(await refusal(asUser("hotel.staff@demo.test", (c) =>
      c.query("select record_followup($1, $2, 'phone', 'reached', '   ')", [member, hotel])))).toBe("followup_note_invalid");
    expect(await refusal(asUser("hotel.staff@demo.test", (c) =>
      c.query("select record_followup($1, $2, 'phone', 'reached', '回访', current_date - 3)", [member, hotel])))).toBe("followup_next_date_invalid");

    const followup = await asUser("hotel.staff@demo.test", (c) =>
      c.query("select * from record_followup($1, $2, 'phone', 'interested', '电话回访，会员有意入住', current_date + 7)", [member, hotel]));
    expect(followup.rows[0]).toMatchObject({ task_id: tasks[0].id, channel: "phone", outcome: "interested" });
    const closed = (await db.query("select status, followup_id from care_tasks where id = $1", [tasks[0].id])).rows[0];
    expect(closed).toEqual({ status: "closed", followup_id: followup.rows[0].id });
    expect(await refusal(db.query("update member_followups set note = 'x' where id = $1", [followup.rows[0].id]))).toBe("followup_append_only");

    // Still tagged: the next run opens a new task (the closed one stays as history), again only one.
    await pool.query("select open_care_tasks()");
    await pool.query("select open_care_tasks()");
    const after = (await db.query("select status from care_tasks where member_id = $1 order by opened_at", [member])).rows.map((r) => r.status);
    expect(after).toEqual(["closed", "open"]);
    await db.query("update care_triggers set active = false where tag = $1", [tag]);
  });

  it("a segment opens tasks for its members", async () => {
    const [member] = await newMembers(db, 1, "silver");
    const tag = `段${Date.now().toString(36).slice(-6)}`;
    await db.query("update members set tags = array[$2] where id = $1", [member, tag]);
    const key = await publishSegment({ has_tag: [{ var: "member.tags" }, tag] });
    await db.query("insert into care_triggers (name, source, segment_key, business_unit_id) values ('客群关怀', 'segment', $1, $2)", [key, mall]);
    const result = await refreshSegments(pool, { segmentKey: key });
    expect(result.members).toBe(1);
    const tasks = (await db.query("select business_unit_id from care_tasks where member_id = $1 and status = 'open'", [member])).rows;
    expect(tasks).toEqual([{ business_unit_id: mall }]);
    await db.query("update care_triggers set active = false where segment_key = $1", [key]);
  });
});

describe("reminders", () => {
  it("list a unit's members' birthdays and anniversaries in the coming days, for that unit's staff", async () => {
    const today = (await db.query("select private.business_today() as d")).rows[0].d as Date;
    const inTwo = new Date(today.getTime() + 2 * DAY);
    const birthday = `1990-${String(inTwo.getMonth() + 1).padStart(2, "0")}-${String(inTwo.getDate()).padStart(2, "0")}`;
    const [member] = await newMembers(db, 1, "standard", { birthday });
    await db.query("update members set home_business_unit_id = $2 where id = $1", [member, hotel]);
    const rows = await asUser("hotel.staff@demo.test", async (c) =>
      (await c.query("select member_id, kind, days_until, years from care_reminders($1, 7)", [hotel])).rows);
    expect(rows.filter((r) => r.member_id === member)).toEqual([{ member_id: member, kind: "birthday", days_until: 2, years: inTwo.getFullYear() - 1990 }]);
    expect(await refusal(asUser("staff@demo.test", (c) => c.query("select * from care_reminders($1, 7)", [hotel])))).toBe("followup_unit_denied");
    expect(await refusal(asUser("hotel.staff@demo.test", (c) => c.query("select * from care_reminders($1, 0)", [hotel])))).toBe("reminder_days_invalid");
    const leap = (await db.query("select private.next_yearly('2000-02-29', '2027-02-01') as d")).rows[0].d as Date;
    expect(leap.getMonth() * 100 + leap.getDate()).toBe(1 * 100 + 28);
  });
});
