/** Caps of segments and care, as private.segment_limits() holds them (tests/db/segments.test.ts compares). */
export const SEGMENT_LIMITS = {
  logic_max_bytes: 16384,
  sample_size: 10,
  previews_per_minute: 30,
  max_due_days: 90,
  note_max_length: 1000,
  max_reminder_days: 60,
  max_next_days: 365,
} as const;

/** How long the engine may spend on one segment evaluation over every member (preview, refresh), ms. */
export const SEGMENT_DEADLINES = { previewMs: 20_000, refreshMs: 120_000 } as const;

/** Follow-up channels and outcomes (private.followup_channels, private.followup_outcomes). */
export const FOLLOWUP_CHANNELS = ["phone", "sms", "wechat", "visit", "email", "other"] as const;
export const FOLLOWUP_OUTCOMES = ["reached", "no_answer", "interested", "declined", "callback", "other"] as const;
/** The tag the churn-warning tagging rule gives (workflows/rules/tagging.json). */
export const CHURN_TAG = "流失预警";
