/**
 * Notifications that reach members (outbox → deliveries per channel → SMTP to the stack's mail catcher) and
 * outbound webhooks (signed, retried with backoff, logged, replayed). Runs against the test stack, whose own
 * engine delivers too: the passes started here compete with it, which is the point of the concurrency tests.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELIVERY_LIMITS, NOTIFICATION_EVENTS, WEBHOOK_EVENT_TYPES } from "../../core/enums/notifications.ts";
import { checkTemplateText, renderTemplate, templateVariables } from "../../core/notifications/render.ts";
import { SmtpAdapter } from "../../engine/notify/adapters.ts";
import { deliverNotifications, deliverWebhooks } from "../../engine/notify/deliver.ts";
import { verifySignature } from "../../engine/notify/signing.ts";
import { config, mailInboxUrl } from "../../stack/config.ts";
import { databaseUrl, demoEmail, signedIn } from "../db/stack-env.ts";
import { newMembers, sleep, testUnit, uniqueName, waitFor, withTestEngine } from "./helpers.ts";

let db: pg.Client;
let pool: pg.Pool;
const DAY = 86_400_000;
const HOUR = 3_600_000;

withTestEngine((client) => (db = client));
beforeAll(() => {
  pool = new pg.Pool({ connectionString: databaseUrl(), max: 8 });
});
afterAll(async () => {
  await pool.end();
});

const smtp = () => new SmtpAdapter({ host: config.host, port: config.mailSmtpPort, secure: false, from: "test <t@membership.local>" });

interface CaughtMail { subject: string; text: string; to: { address: string }[]; headers: Record<string, string> }
async function inbox(address: string): Promise<CaughtMail[]> {
  const response = await fetch(`${mailInboxUrl()}/api/email`);
  expect(response.status).toBe(200);
  return ((await response.json()) as CaughtMail[]).filter((m) => m.to.some((t) => t.address === address));
}

async function memberWithEmail(language?: "zh-CN" | "en", optedOut: string[] = []) {
  const [member] = await newMembers(db, 1);
  const email = `${uniqueName("m")}@example.test`;
  await db.query("update members set email = $2 where id = $1", [member, email]);
  if (language) await db.query("select set_member_notification_settings($1, $2, $3)", [member, language, optedOut]);
  const { rows } = await db.query("select member_no from members where id = $1", [member]);
  return { member, email, memberNo: rows[0].member_no as string };
}

async function settled(member: string) {
  return waitFor("deliveries to finish", async () => {
    const { rows } = await db.query(
      "select channel, status, attempts, last_error from notification_deliveries where member_id = $1 order by channel", [member]);
    return rows.length > 0 && rows.every((r) => ["sent", "failed", "skipped"].includes(r.status)) ? rows : undefined;
  }, 30_000, 100);
}

describe("registries", () => {
  it("the app's events, limits and webhook types are the database's", async () => {
    const events = (await db.query("select key, variables from notification_events order by key")).rows;
    expect(Object.fromEntries(events.map((e) => [e.key, e.variables]))).toEqual(
      Object.fromEntries(Object.entries(NOTIFICATION_EVENTS).map(([k, v]) => [k, [...v]])));
    expect((await db.query("select private.delivery_limits() as l")).rows[0].l).toEqual(DELIVERY_LIMITS);
    const bad = await db.query("select create_webhook_subscription('x', 'http://127.0.0.1:9/h', $1::text[])", [[...WEBHOOK_EVENT_TYPES]])
      .then(() => null, (e: { hint?: string }) => e.hint);
    expect(bad).toBeNull();
    await db.query("update webhook_subscriptions set active = false where name = 'x'");
  });

  it("renders a template with the member's values and flags unknown placeholders", () => {
    const vars = templateVariables("points_expiring", { points: 120, days_left: 7, expires_at: "2026-12-31T16:30:00Z" }, { name: "张三", member_no: "M1" }, "zh-CN");
    expect(renderTemplate("{{member_name}}：{{points}}积分将于{{ expires_on }}到期", vars)).toBe("张三：120积分将于2027-01-01到期");
    expect(checkTemplateText("points_expiring", "{{points}} {{balance}} {{points")).toEqual([
      { code: "notification_placeholder_malformed" },
      { code: "notification_variable_unknown", variable: "balance" },
    ]);
  });
});

describe("delivery to members", () => {
  it("a 7-day expiry reminder reaches the mail catcher once, in the member's language", async () => {
    const { member, email, memberNo } = await memberWithEmail("en");
    const unit = await testUnit(db);
    await db.query("select earn_points($1, $2, 700, $3, 'shopping', $4)", [member, unit, uniqueName("k"), new Date(Date.now() + 7 * DAY - HOUR)]);
    const marker = uniqueName("job");
    await db.query("select graphile_worker.add_job('send_reminders', $1::json, job_key => $2)", [JSON.stringify({ member_ids: [member], marker }), marker]);
    // Two more passes in parallel with the engines' own.
    await Promise.all([deliverNotifications(pool, { email: smtp() }), deliverNotifications(pool, { email: smtp() })]);
    const rows = await settled(member);
    expect(rows.find((r) => r.channel === "email")).toMatchObject({ status: "sent", attempts: 1 });
    // sms has no provider in the test stack: skipped and logged, never retried.
    expect(rows.find((r) => r.channel === "sms")).toMatchObject({ status: "skipped", last_error: "channel_not_configured" });
    await sleep(300);
    const mails = await inbox(email);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe("700 points expire in 7 days");
    expect(mails[0].text).toContain(memberNo);
    const log = (await db.query(
      `select a.outcome, a.language from notification_attempts a join notification_deliveries d on d.id = a.delivery_id
       where d.member_id = $1 and d.channel = 'email'`, [member])).rows;
    expect(log).toEqual([{ outcome: "sent", language: "en" }]);
    expect((await db.query("select status from notifications_outbox where member_id = $1", [member])).rows).toEqual([{ status: "sent" }]);
  });

  it("30 reminders written at once and three passes competing: each member gets exactly one mail", async () => {
    const members = await Promise.all(Array.from({ length: 30 }, () => memberWithEmail()));
    await db.query(
      `insert into notifications_outbox (member_id, channel, template, payload, dedupe_key)
       select m, 'email', 'points_expiring', jsonb_build_object('points', 10, 'days_left', 3, 'days_before', 3,
              'expires_at', now() + interval '3 days'), 'test:' || m
       from unnest($1::uuid[]) m`, [members.map((m) => m.member)]);
    const adapter = smtp();
    await Promise.all([1, 2, 3].map(() => deliverNotifications(pool, { email: adapter }, { batch: 4 })));
    for (const m of members) {
      expect((await settled(m.member)).find((r) => r.channel === "email")).toMatchObject({ status: "sent", attempts: 1 });
    }
    await sleep(500);
    for (const m of members) expect(await inbox(m.email)).toHaveLength(1);
    const attempts = (await db.query(
      `select count(*)::int as n from notification_attempts a join notification_deliveries d on d.id = a.delivery_id
       where d.member_id = any($1::uuid[]) and d.channel = 'email'`, [members.map((m) => m.member)])).rows[0].n;
    expect(attempts).toBe(30);
  });

  it("an opted-out member gets nothing, and the skip is logged", async () => {
    const { member, email } = await memberWithEmail("zh-CN", ["email", "sms"]);
    await db.query(
      `insert into notifications_outbox (member_id, channel, template, payload, dedupe_key)
       values ($1, 'sms', 'points_expiring', '{"points": 5, "days_left": 1, "days_before": 1}', 'optout')`, [member]);
    await deliverNotifications(pool, { email: smtp() });
    const rows = await settled(member);
    expect(rows.map((r) => [r.channel, r.status, r.last_error])).toEqual([
      ["email", "skipped", "opted_out"], ["push", "skipped", "channel_not_configured"], ["sms", "skipped", "opted_out"]]);
    const log = (await db.query(
      `select a.outcome, a.detail from notification_attempts a join notification_deliveries d on d.id = a.delivery_id
       where d.member_id = $1 order by d.channel`, [member])).rows;
    expect(log).toEqual([{ outcome: "skipped", detail: "opted_out" }, { outcome: "skipped", detail: "channel_not_configured" },
      { outcome: "skipped", detail: "opted_out" }]);
    expect((await db.query("select status from notifications_outbox where member_id = $1", [member])).rows).toEqual([{ status: "skipped" }]);
    await sleep(300);
    expect(await inbox(email)).toHaveLength(0);
  });

  it("a failing channel is retried with backoff up to the cap, and a stale claim token finishes nothing", async () => {
    const { member } = await memberWithEmail();
    // Not due yet, so no engine takes it: the test claims it itself, in one transaction with making it due.
    await db.query(
      `insert into notifications_outbox (member_id, channel, template, payload, dedupe_key, due_at)
       values ($1, 'email', 'points_expiring', '{"points": 5, "days_left": 1, "days_before": 1}', 'retry', now() + interval '1 day')`, [member]);
    const id = Number((await db.query("select id from notification_deliveries where member_id = $1 and channel = 'email'", [member])).rows[0].id);
    const claim = async () => {
      await db.query("begin");
      try {
        await db.query("update notification_deliveries set next_attempt_at = now() - interval '1 hour' where id = $1", [id]);
        const list = (await db.query("select private.claim_notification_deliveries(1, 60) as c")).rows[0].c as { id: number; token: string; attempt: number }[];
        await db.query("commit");
        expect(list.map((c) => c.id)).toEqual([id]);
        return list[0];
      } catch (error) {
        await db.query("rollback");
        throw error;
      }
    };
    const claimed = await claim();
    expect(claimed.attempt).toBe(1);
    // While claimed, no other pass gets it.
    expect(await deliverNotifications(pool, {}, { batch: 100 }).then(async () =>
      (await db.query("select status from notification_deliveries where id = $1", [id])).rows[0].status)).toBe("sending");
    expect((await db.query("select private.finish_notification_delivery($1, gen_random_uuid(), 'sent', '', 0) as ok", [id])).rows[0].ok).toBe(false);
    const finish = (token: string) => db.query("select private.finish_notification_delivery($1, $2, 'failed', 'smtp down', 999999) as ok", [id, token]);
    expect((await finish(claimed.token)).rows[0].ok).toBe(true);
    expect((await finish(claimed.token)).rows[0].ok).toBe(false); // a second finish changes nothing
    const row = (await db.query(
      "select status, attempts, extract(epoch from next_attempt_at - now())::int as wait from notification_deliveries where id = $1", [id])).rows[0];
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row.wait).toBeLessThanOrEqual(DELIVERY_LIMITS.max_retry_seconds); // 999999 s asked, capped
    expect(row.wait).toBeGreaterThan(DELIVERY_LIMITS.max_retry_seconds - 60);
    // At the attempt cap the delivery fails for good.
    await db.query("update notification_deliveries set attempts = $2 where id = $1", [id, DELIVERY_LIMITS.max_attempts - 1]);
    const last = await claim();
    expect(last.attempt).toBe(DELIVERY_LIMITS.max_attempts);
    await finish(last.token);
    expect((await db.query("select status, attempts from notification_deliveries where id = $1", [id])).rows[0])
      .toEqual({ status: "failed", attempts: DELIVERY_LIMITS.max_attempts });
    const attempts = (await db.query("select attempt, outcome from notification_attempts where delivery_id = $1 order by id", [id])).rows;
    expect(attempts).toEqual([{ attempt: 1, outcome: "failed" }, { attempt: DELIVERY_LIMITS.max_attempts, outcome: "failed" }]);
    await expect(db.query("select private.claim_notification_deliveries(0, 60)")).rejects.toMatchObject({ hint: "delivery_claim_out_of_range" });
  });
});

describe("templates", () => {
  it("refuses bad template input with a reason and saves nothing; a good one is a new version", async () => {
    const marketing = await signedIn(demoEmail("marketing"));
    const count = async () => Number((await db.query("select count(*) from notification_templates")).rows[0].count);
    const before = await count();
    const save = (event: string, channel: string, language: string, subject: string, body: string) =>
      marketing.client.rpc("save_notification_template", { p_event: event, p_channel: channel, p_language: language, p_subject: subject, p_body: body });
    const cases: [Parameters<typeof save>, string][] = [
      [["points_expiring", "email", "zh-CN", "到期", "{{balance}} 积分"], "notification_variable_unknown"],
      [["points_expiring", "email", "zh-CN", "到期", "{{points 积分"], "notification_placeholder_malformed"],
      [["points_expiring", "email", "zh-CN", "", "{{points}} 积分"], "notification_subject_required"],
      [["points_expiring", "fax", "zh-CN", "", "{{points}}"], "notification_channel_unknown"],
      [["points_expiring", "sms", "fr", "", "{{points}}"], "notification_language_unknown"],
      [["no_such_event", "sms", "zh-CN", "", "x"], "notification_event_unknown"],
      [["points_expiring", "sms", "zh-CN", "", "   "], "notification_template_size"],
      [["points_expiring", "sms", "zh-CN", "", "x".repeat(4001)], "notification_template_size"],
    ];
    for (const [args, hint] of cases) {
      const { error } = await save(...args);
      expect(error?.hint, JSON.stringify(args).slice(0, 80)).toBe(hint);
    }
    const staff = await signedIn(demoEmail("staff"));
    const refused = await staff.client.rpc("save_notification_template", {
      p_event: "points_expiring", p_channel: "sms", p_language: "zh-CN", p_subject: "", p_body: "{{points}}" });
    expect(refused.error?.hint).toBe("template_editor_required");
    expect(await count()).toBe(before);
    const ok = await save("benefit_used", "push", "en", "Used", "{{name}}: {{uses_left}} left");
    expect(ok.error).toBeNull();
    expect(ok.data).toMatchObject({ event: "benefit_used", channel: "push", language: "en", version: 1, source: "ui" });
    const next = await save("benefit_used", "push", "en", "Used", "{{name}} used; {{uses_left}} left");
    expect(next.data).toMatchObject({ version: 2 });
    await expect(db.query("update notification_templates set body = 'x' where id = $1", [ok.data.id])).rejects.toMatchObject({ hint: "notification_template_immutable" });
  });
});

describe("webhooks", () => {
  let server: http.Server;
  let url: string;
  const received: { eventId: number; body: string; signature: string | undefined; answered: number }[] = [];
  const seen = new Map<number, number>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const eventId = Number(JSON.parse(body).id);
        const n = (seen.get(eventId) ?? 0) + 1;
        seen.set(eventId, n);
        const answered = n <= 2 ? 500 : 200; // fails twice, then succeeds
        received.push({ eventId, body, signature: req.headers["x-webhook-signature"] as string | undefined, answered });
        res.writeHead(answered).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/points`;
  });
  afterAll(async () => {
    await db.query("update webhook_subscriptions set active = false where url = $1", [url]);
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("a receiver failing twice gets each event exactly once marked delivered, signed, and a replay sends it again", async () => {
    const admin = await signedIn(demoEmail("admin"));
    const staff = await signedIn(demoEmail("staff"));
    expect((await staff.client.rpc("create_webhook_subscription", { p_name: "x", p_url: url, p_event_types: ["points.earned"] })).error?.hint).toBe("admin_only");
    expect((await admin.client.rpc("create_webhook_subscription", { p_name: "x", p_url: "ftp://x", p_event_types: ["points.earned"] })).error?.hint).toBe("webhook_url_invalid");
    expect((await admin.client.rpc("create_webhook_subscription", { p_name: "x", p_url: url, p_event_types: ["points.stolen"] })).error?.hint).toBe("webhook_event_types_invalid");
    const created = await admin.client.rpc("create_webhook_subscription", { p_name: "积分回调", p_url: url, p_event_types: ["points.earned", "points.redeemed"] });
    expect(created.error).toBeNull();
    const secret = created.data.secret as string;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    // The secret is never read back through the API.
    expect((await admin.client.from("webhook_subscriptions").select("secret").eq("id", created.data.id)).error).not.toBeNull();

    const unit = await testUnit(db);
    const [m1, m2] = await newMembers(db, 2);
    for (const m of [m1, m2]) await db.query("select earn_points($1, $2, 50, $3, 'shopping', now() + interval '1 year')", [m, unit, uniqueName("k")]);
    await db.query("select redeem_points($1, $2, 20, $3)", [m1, unit, uniqueName("r")]);
    const events = (await db.query(
      `select e.id, e.event_type, e.payload from webhook_events e join webhook_deliveries d on d.event_id = e.id
       where d.subscription_id = $1 and e.payload ->> 'member_id' = any($2::text[]) order by e.id`, [created.data.id, [m1, m2]])).rows;
    expect(events.map((e) => [e.event_type, e.payload.points])).toEqual([["points.earned", 50], ["points.earned", 50], ["points.redeemed", 20]]);

    // Passes in parallel, again and again, until every delivery is done (retries come after 1 s, 2 s).
    const deliveries = await waitFor("webhook deliveries", async () => {
      await Promise.all([deliverWebhooks(pool, { retryBaseSeconds: 1, allowPrivateAddresses: true }), deliverWebhooks(pool, { retryBaseSeconds: 1, allowPrivateAddresses: true })]);
      const { rows } = await db.query("select id, event_id, status, attempts from webhook_deliveries where subscription_id = $1 order by event_id", [created.data.id]);
      return rows.every((r) => r.status === "delivered") ? rows : undefined;
    }, 40_000, 300);
    expect(deliveries.map((d) => [Number(d.event_id), d.status, d.attempts])).toEqual(events.map((e) => [Number(e.id), "delivered", 3]));
    for (const e of events) {
      const got = received.filter((r) => r.eventId === Number(e.id));
      expect(got.map((r) => r.answered)).toEqual([500, 500, 200]); // exactly once accepted
      for (const r of got) {
        expect(verifySignature(secret, r.body, r.signature)).toBe(true);
        expect(verifySignature("0".repeat(64), r.body, r.signature)).toBe(false);
        expect(JSON.parse(r.body)).toMatchObject({ id: Number(e.id), type: e.event_type, data: { points: e.payload.points } });
      }
    }
    const log = (await db.query(
      "select outcome, http_status from webhook_attempts where delivery_id = $1 order by attempt", [deliveries[0].id])).rows;
    expect(log).toEqual([{ outcome: "failed", http_status: 500 }, { outcome: "failed", http_status: 500 }, { outcome: "delivered", http_status: 200 }]);

    // Replay (administrators): a new delivery of the same event, the log keeps the first.
    expect((await staff.client.rpc("replay_webhook_delivery", { p_delivery_id: deliveries[0].id })).error?.hint).toBe("admin_only");
    const replay = await admin.client.rpc("replay_webhook_delivery", { p_delivery_id: deliveries[0].id });
    expect(replay.error).toBeNull();
    await waitFor("the replay", async () => {
      await deliverWebhooks(pool, { retryBaseSeconds: 1, allowPrivateAddresses: true });
      const { rows } = await db.query("select status from webhook_deliveries where id = $1", [replay.data]);
      return rows[0].status === "delivered";
    }, 20_000, 200);
    expect(received.filter((r) => r.eventId === Number(events[0].id)).map((r) => r.answered)).toEqual([500, 500, 200, 200]);
  });
});
