/**
 * Brings workflows/notifications/templates.json into public.notification_templates on every start
 * (private.sync_notification_template): a missing template is created, a changed text adds a version, a template
 * last saved in the UI is kept. Runs before the demo seed, so the seed's notices get their channels.
 */
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { ROOT } from "./config.ts";

export const TEMPLATES_FILE = path.join(ROOT, "workflows", "notifications", "templates.json");

interface TemplateFile {
  templates: { event: string; channel: string; language: string; subject?: string; body: string }[];
}

export async function seedNotificationTemplates(client: pg.Client | pg.PoolClient): Promise<string[]> {
  const file = JSON.parse(fs.readFileSync(TEMPLATES_FILE, "utf8")) as TemplateFile;
  const lines: string[] = [];
  for (const t of file.templates) {
    const { rows } = await client.query<{ outcome: string }>(
      "select private.sync_notification_template($1, $2, $3, $4, $5) as outcome",
      [t.event, t.channel, t.language, t.subject ?? "", t.body],
    );
    if (rows[0].outcome !== "unchanged") lines.push(`notification template ${t.event}/${t.channel}/${t.language}: ${rows[0].outcome}`);
  }
  return lines;
}
