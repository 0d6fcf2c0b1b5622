/** The template editor names every notification event and each of its variables, in Chinese and in English. */
import { describe, expect, it } from "vitest";
import en from "../../app/i18n/messaging.en.json";
import zhCN from "../../app/i18n/messaging.zh-CN.json";
import { superuser } from "./stack-env.ts";

type Labels = { events: Record<string, string>; variables: Record<string, string> };

describe("notification event labels", () => {
  it("every event and variable in public.notification_events has a label in both languages", async () => {
    const db = await superuser();
    try {
      const { rows } = await db.query<{ key: string; variables: string[] }>("select key, variables from public.notification_events order by key");
      expect(rows.length).toBeGreaterThan(3);
      const missing: string[] = [];
      for (const [lang, labels] of [["zh-CN", zhCN.notification_templates], ["en", en.notification_templates]] as [string, Labels][]) {
        for (const { key, variables } of rows) {
          if (!labels.events[key]) missing.push(`${lang} event ${key}`);
          for (const v of variables) if (!labels.variables[v]) missing.push(`${lang} variable ${v} (${key})`);
        }
      }
      expect(missing).toEqual([]);
    } finally {
      await db.end();
    }
  });
});
