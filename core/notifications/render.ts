/**
 * Message templates: {{variable}} placeholders filled from an event's payload and the member (isomorphic: the
 * engine renders what it sends, the template page renders its preview with the same code).
 */
import { NOTIFICATION_EVENTS, type NotificationEvent, type NotificationLanguage } from "../enums/notifications.ts";

const PLACEHOLDER = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;

export interface TemplateProblem {
  code: "notification_placeholder_malformed" | "notification_variable_unknown";
  variable?: string;
}

/** The problems the database would refuse the text for (private.check_notification_template), for the editor. */
export function checkTemplateText(event: NotificationEvent, text: string): TemplateProblem[] {
  const allowed = NOTIFICATION_EVENTS[event] as readonly string[];
  const problems: TemplateProblem[] = [];
  if (/\{\{|\}\}/.test(text.replace(PLACEHOLDER, ""))) problems.push({ code: "notification_placeholder_malformed" });
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (!allowed.includes(match[1]) && !problems.some((p) => p.variable === match[1])) {
      problems.push({ code: "notification_variable_unknown", variable: match[1] });
    }
  }
  return problems;
}

/** Fills the placeholders; a variable without a value becomes an empty string. */
export function renderTemplate(text: string, variables: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => (Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : ""));
}

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** A moment as the day it falls on in China (YYYY-MM-DD), or "" when it is not a date. */
export function chinaDay(value: unknown): string {
  if (typeof value !== "string" && typeof value !== "number") return "";
  const ms = new Date(value).getTime();
  if (!Number.isFinite(ms)) return "";
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

function text(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return "";
}

/** The variables of one event for one member: the payload's fields the event declares, the member's, and derived days. */
export function templateVariables(
  event: NotificationEvent,
  payload: Record<string, unknown>,
  member: { name?: string | null; member_no?: string | null },
  language: NotificationLanguage,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of NOTIFICATION_EVENTS[event] as readonly string[]) out[name] = text(payload[name]);
  out.member_name = text(member.name);
  out.member_no = text(member.member_no);
  if ("expires_on" in out) out.expires_on = chinaDay(payload.expires_at);
  if ("valid_until_on" in out) out.valid_until_on = chinaDay(payload.valid_until);
  if (event === "benefit_used" && language === "en" && out.name_en) out.name = out.name_en;
  return out;
}

/** Sample payloads for the template editor's preview. */
export const SAMPLE_PAYLOADS: Record<NotificationEvent, Record<string, unknown>> = {
  points_expiring: { points: 1280, days_left: 7, days_before: 7, expires_at: "2026-12-31T15:59:59Z" },
  benefit_granted: { definition_key: "birthday-gift", uses: 1, valid_until: "2027-01-31T15:59:59Z", code: "BG7Q2K" },
  benefit_used: { name: "停车券", name_en: "Parking voucher", uses: 1, uses_left: 2, business_unit: "MALL", used_at: "2026-12-03T06:30:00Z" },
  campaign_offer: { campaign_name: "商场双倍积分周", message: "本周在商场消费享双倍积分" },
};
