import { parseCrontab } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { CRON_PRIORITY, DEFAULT_CRONTAB } from "./worker.ts";

describe("the engine's crontab", () => {
  const items = parseCrontab(DEFAULT_CRONTAB);

  it("schedules every job ahead of queued earnings, which run at priority 0", () => {
    expect(items.map((item) => item.task)).toEqual(
      ["expire_lots", "review_tiers", "expire_paid_tiers", "benefit_grants", "campaigns", "auto_tag", "send_reminders", "approval_deadlines", "fold_rollups", "refresh_segments", "audit_seal", "deliver_notifications", "deliver_webhooks"]);
    for (const item of items) expect(item.options.priority, item.task).toBe(CRON_PRIORITY);
    expect(CRON_PRIORITY).toBeLessThan(0);
  });
});
