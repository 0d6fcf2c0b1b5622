/**
 * Channel adapters: e-mail over SMTP (nodemailer), SMS and app push through one HTTP provider (a signed JSON POST).
 * Settings come from the environment (notifySettingsFromEnv); the local stack points SMTP at its mail catcher.
 */
import nodemailer, { type Transporter } from "nodemailer";
import type { NotificationChannel } from "../../core/enums/notifications.ts";
import { signBody } from "./signing.ts";

export interface OutgoingMessage {
  /** The delivery's id: the provider's idempotency key (a retried delivery carries the same one). */
  deliveryId: number;
  channel: NotificationChannel;
  /** E-mail address, phone number, or the member number for push. */
  to: string;
  subject: string;
  body: string;
  event: string;
  memberNo: string;
}

export type SendResult = { ok: true; detail?: string } | { ok: false; detail: string; skip?: boolean };

export interface ChannelAdapter {
  send(message: OutgoingMessage): Promise<SendResult>;
  close?(): Promise<void> | void;
}

export interface NotifySettings {
  smtp?: { host: string; port: number; secure: boolean; user?: string; pass?: string; from: string };
  http?: { url: string; secret: string; timeoutMs: number };
  /** First pause after a failed attempt, seconds; doubled per attempt up to DELIVERY_LIMITS.max_retry_seconds. */
  retryBaseSeconds: number;
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}=${raw} must be a number of at least 0`);
  return value;
}

/**
 * SMTP_HOST, SMTP_PORT (587), SMTP_SECURE (true for implicit TLS, port 465), SMTP_USER, SMTP_PASS, MAIL_FROM;
 * NOTIFY_HTTP_URL and NOTIFY_HTTP_SECRET (SMS and push provider), NOTIFY_HTTP_TIMEOUT_MS (10000);
 * NOTIFY_RETRY_BASE_SECONDS (30). Without SMTP_HOST no e-mail is sent (deliveries are skipped as not configured).
 */
export function notifySettingsFromEnv(env: NodeJS.ProcessEnv = process.env): NotifySettings {
  const settings: NotifySettings = { retryBaseSeconds: positive("NOTIFY_RETRY_BASE_SECONDS", env.NOTIFY_RETRY_BASE_SECONDS, 30) };
  if (env.SMTP_HOST) {
    settings.smtp = {
      host: env.SMTP_HOST,
      port: positive("SMTP_PORT", env.SMTP_PORT, 587),
      secure: env.SMTP_SECURE === "true",
      user: env.SMTP_USER || undefined,
      pass: env.SMTP_PASS || undefined,
      from: env.MAIL_FROM || "星河大会员 <no-reply@membership.local>",
    };
  }
  if (env.NOTIFY_HTTP_URL) {
    if (!env.NOTIFY_HTTP_SECRET || env.NOTIFY_HTTP_SECRET.length < 16) {
      throw new Error("NOTIFY_HTTP_SECRET (at least 16 characters) is needed with NOTIFY_HTTP_URL");
    }
    settings.http = { url: env.NOTIFY_HTTP_URL, secret: env.NOTIFY_HTTP_SECRET, timeoutMs: positive("NOTIFY_HTTP_TIMEOUT_MS", env.NOTIFY_HTTP_TIMEOUT_MS, 10_000) };
  }
  return settings;
}

export class SmtpAdapter implements ChannelAdapter {
  private transport: Transporter;
  constructor(private settings: NonNullable<NotifySettings["smtp"]>) {
    this.transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: settings.user ? { user: settings.user, pass: settings.pass ?? "" } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }
  async send(message: OutgoingMessage): Promise<SendResult> {
    try {
      const info = await this.transport.sendMail({
        from: this.settings.from,
        to: message.to,
        subject: message.subject,
        text: message.body,
        messageId: `<delivery-${message.deliveryId}@membership.local>`,
        headers: { "X-Delivery-Id": String(message.deliveryId), "X-Notification-Event": message.event },
      });
      return { ok: true, detail: String(info.messageId ?? "") };
    } catch (error) {
      return { ok: false, detail: `smtp: ${(error as Error).message}` };
    }
  }
  close() {
    this.transport.close();
  }
}

/** SMS and push: POST {delivery_id, channel, to, subject, body, event, member_no} signed with the shared secret. */
export class HttpProviderAdapter implements ChannelAdapter {
  constructor(private settings: NonNullable<NotifySettings["http"]>) {}
  async send(message: OutgoingMessage): Promise<SendResult> {
    const body = JSON.stringify({
      delivery_id: message.deliveryId, channel: message.channel, to: message.to, subject: message.subject,
      body: message.body, event: message.event, member_no: message.memberNo,
    });
    try {
      const response = await fetch(this.settings.url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-webhook-signature": signBody(this.settings.secret, body), "idempotency-key": `delivery-${message.deliveryId}` },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.ok ? { ok: true, detail: `http ${response.status}` } : { ok: false, detail: `http ${response.status}` };
    } catch (error) {
      return { ok: false, detail: `http: ${(error as Error).message}` };
    }
  }
}

export function channelAdapters(settings: NotifySettings): Partial<Record<NotificationChannel, ChannelAdapter>> {
  const out: Partial<Record<NotificationChannel, ChannelAdapter>> = {};
  if (settings.smtp) out.email = new SmtpAdapter(settings.smtp);
  if (settings.http) {
    const http = new HttpProviderAdapter(settings.http);
    out.sms = http;
    out.push = http;
  }
  return out;
}
