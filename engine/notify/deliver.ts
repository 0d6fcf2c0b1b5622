/**
 * The delivery passes: notifications to members (outbox deliveries, one per channel) and webhook deliveries.
 * Each pass claims due rows in SQL (for update skip locked, a claim token and a lease: two passes never hold
 * the same row), sends them, and records each attempt with its token (private.finish_*: a second finish is a
 * no-op). Failures come back after an exponential pause (retryBaseSeconds · 2^(attempt-1), capped in SQL) until
 * the attempts run out. A pass ends when nothing is due; the engine runs one when a row is queued (a job queued
 * by the inserting transaction) and every minute for retries.
 */
import type pg from "pg";
import { DELIVERY_LIMITS, type NotificationChannel, type NotificationEvent, type NotificationLanguage, NOTIFICATION_EVENTS } from "../../core/enums/notifications.ts";
import { renderTemplate, templateVariables } from "../../core/notifications/render.ts";
import type { ChannelAdapter } from "./adapters.ts";
import { postTo } from "./public-address.ts";
import { signBody } from "./signing.ts";

export interface PassOptions {
  /** Rows per claim (at most DELIVERY_LIMITS.max_claim). */
  batch?: number;
  /** Claim lease, seconds. */
  leaseSeconds?: number;
  /** First retry pause, seconds (doubled per attempt). */
  retryBaseSeconds?: number;
  /** Timeout of one webhook request, ms. */
  timeoutMs?: number;
  /** Webhooks to private addresses too (default: WEBHOOK_ALLOW_PRIVATE=true); see notify/public-address.ts. */
  allowPrivateAddresses?: boolean;
}

export interface PassResult {
  sent: number;
  failed: number;
  skipped: number;
}

interface ClaimedNotification {
  id: number;
  token: string;
  channel: NotificationChannel;
  attempt: number;
  event: string;
  payload: Record<string, unknown>;
  member: { id: string; name: string; member_no: string; email: string | null; phone: string | null; status: string };
  language: NotificationLanguage;
  opted_out: string[];
  template: { version: number; subject: string; body: string; language: NotificationLanguage } | null;
}

const retryAfter = (base: number, attempt: number) =>
  Math.min(DELIVERY_LIMITS.max_retry_seconds, Math.round(base * 2 ** Math.max(0, attempt - 1)));

function addressOf(row: ClaimedNotification): string | null {
  if (row.channel === "email") return row.member.email;
  if (row.channel === "sms") return row.member.phone;
  return row.member.member_no;
}

export async function deliverNotifications(
  pool: pg.Pool,
  adapters: Partial<Record<NotificationChannel, ChannelAdapter>>,
  options: PassOptions = {},
): Promise<PassResult> {
  const batch = Math.min(options.batch ?? 50, DELIVERY_LIMITS.max_claim);
  const lease = options.leaseSeconds ?? 120;
  const base = options.retryBaseSeconds ?? 30;
  const result: PassResult = { sent: 0, failed: 0, skipped: 0 };
  for (;;) {
    const { rows } = await pool.query<{ claimed: ClaimedNotification[] }>(
      "select private.claim_notification_deliveries($1, $2) as claimed", [batch, lease]);
    const claimed = rows[0].claimed;
    if (claimed.length === 0) break;
    await Promise.all(claimed.map(async (row) => {
      let outcome: "sent" | "failed" | "skipped";
      let detail: string;
      const adapter = adapters[row.channel];
      const address = addressOf(row);
      if (row.member.status !== "active") [outcome, detail] = ["skipped", "member_inactive"];
      else if (row.opted_out.includes(row.channel)) [outcome, detail] = ["skipped", "opted_out"];
      else if (!row.template || !(row.event in NOTIFICATION_EVENTS)) [outcome, detail] = ["skipped", "no_template"];
      else if (!address) [outcome, detail] = ["skipped", "no_address"];
      else if (!adapter) [outcome, detail] = ["skipped", "channel_not_configured"];
      else {
        const vars = templateVariables(row.event as NotificationEvent, row.payload, row.member, row.template.language);
        const sent = await adapter.send({
          deliveryId: row.id, channel: row.channel, to: address, event: row.event, memberNo: row.member.member_no,
          subject: renderTemplate(row.template.subject, vars), body: renderTemplate(row.template.body, vars),
        });
        [outcome, detail] = sent.ok ? ["sent", sent.detail ?? ""] : ["failed", sent.detail];
      }
      const done = await pool.query<{ ok: boolean }>(
        "select private.finish_notification_delivery($1, $2, $3, $4, $5, $6, $7) as ok",
        [row.id, row.token, outcome, detail, retryAfter(base, row.attempt), row.template?.version ?? null, row.template?.language ?? null]);
      if (done.rows[0].ok) result[outcome]++;
    }));
    if (claimed.length < batch) break;
  }
  return result;
}

interface ClaimedWebhook {
  id: number;
  token: string;
  attempt: number;
  url: string;
  secret: string;
  active: boolean;
  event: { id: number; type: string; created_at: string; data: Record<string, unknown> };
}

export async function deliverWebhooks(pool: pg.Pool, options: PassOptions = {}): Promise<{ delivered: number; failed: number }> {
  const batch = Math.min(options.batch ?? 20, DELIVERY_LIMITS.max_claim);
  const lease = options.leaseSeconds ?? 120;
  const base = options.retryBaseSeconds ?? 30;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const allowPrivate = options.allowPrivateAddresses ?? process.env.WEBHOOK_ALLOW_PRIVATE === "true";
  const result = { delivered: 0, failed: 0 };
  for (;;) {
    const { rows } = await pool.query<{ claimed: ClaimedWebhook[] }>("select private.claim_webhook_deliveries($1, $2) as claimed", [batch, lease]);
    const claimed = rows[0].claimed;
    if (claimed.length === 0) break;
    await Promise.all(claimed.map(async (row) => {
      let delivered = false;
      let status: number | null = null;
      let detail: string;
      if (!row.active) detail = "subscription_inactive";
      else {
        const body = JSON.stringify({ id: row.event.id, type: row.event.type, created_at: row.event.created_at, data: row.event.data });
        try {
          const response = await postTo(row.url, {
            "content-type": "application/json",
            "user-agent": "membership-webhooks/1",
            "x-webhook-id": String(row.event.id),
            "x-webhook-event": row.event.type,
            "x-webhook-delivery": String(row.id),
            "x-webhook-signature": signBody(row.secret, body),
          }, body, { allowPrivate, timeoutMs });
          status = response.status;
          delivered = response.status >= 200 && response.status < 300;
          detail = `http ${response.status}`;
        } catch (error) {
          detail = (error as Error).message;
        }
      }
      const done = await pool.query<{ ok: boolean }>(
        "select private.finish_webhook_delivery($1, $2, $3, $4, $5, $6) as ok",
        [row.id, row.token, delivered, status, detail, retryAfter(base, row.attempt)]);
      if (done.rows[0].ok) result[delivered ? "delivered" : "failed"]++;
    }));
    if (claimed.length < batch) break;
  }
  return result;
}
