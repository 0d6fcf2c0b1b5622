/**
 * Notifications to members and outbound webhooks: channels, languages, the events members are notified of with
 * the variables their templates may use, webhook event types and the delivery loop's caps. SQL holds the same
 * (public.notification_events, the channel/language checks, webhook_subscriptions.event_types,
 * private.delivery_limits()); tests/engine/notifications.test.ts compares them.
 */
export const NOTIFICATION_CHANNELS = ["email", "sms", "push"] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export const NOTIFICATION_LANGUAGES = ["zh-CN", "en"] as const;
export type NotificationLanguage = (typeof NOTIFICATION_LANGUAGES)[number];

/** Event (notifications_outbox.template) → variables a template may use as {{name}}. */
export const NOTIFICATION_EVENTS = {
  points_expiring: ["member_name", "member_no", "points", "days_left", "days_before", "expires_at", "expires_on"],
  benefit_granted: ["member_name", "member_no", "definition_key", "uses", "valid_until", "valid_until_on", "code"],
  benefit_used: ["member_name", "member_no", "name", "name_en", "uses", "uses_left", "business_unit", "used_at"],
  /** A campaign's message offer (private.give_campaign_offers): the campaign's name and its (arm's) wording. */
  campaign_offer: ["member_name", "member_no", "campaign_name", "message"],
} as const satisfies Record<string, readonly string[]>;
export type NotificationEvent = keyof typeof NOTIFICATION_EVENTS;
export const NOTIFICATION_EVENT_KEYS = Object.keys(NOTIFICATION_EVENTS) as NotificationEvent[];

export const WEBHOOK_EVENT_TYPES = [
  "points.earned", "points.redeemed", "points.expiring", "tier.changed", "approval.decided", "benefit.used",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Caps of the delivery loop (private.delivery_limits()). */
export const DELIVERY_LIMITS = {
  /** Attempts of one delivery before it is marked failed. */
  max_attempts: 8,
  /** Longest pause between two attempts, seconds. */
  max_retry_seconds: 3600,
  /** Longest claim lease, seconds (a lease that ran out is claimable again: a dead engine's deliveries). */
  max_lease_seconds: 600,
  /** Most deliveries claimed at once. */
  max_claim: 100,
} as const;

/** Template sizes (notification_templates). */
export const TEMPLATE_MAX_BODY = 4000;
export const TEMPLATE_MAX_SUBJECT = 200;

/** The signature header of webhook requests and of the HTTP message provider's requests. */
export const SIGNATURE_HEADER = "x-webhook-signature";
