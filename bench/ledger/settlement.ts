/** The bench database gets the settlement rule kind and the seeded settlement rules (workflows/rules/settlement.json), in force. */
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { ruleKind } from "../../core/rule-kinds/index.ts";
import { ROOT } from "../../stack/config.ts";

export async function seedSettlementRules(db: pg.Client, log: (line: string) => void) {
  const kind = ruleKind("settlement");
  await db.query("select private.sync_rule_kind($1, $2, $3, $4)", [kind.kind, kind.combinations, kind.unitScoped, kind.usesLotKind]);
  const file = JSON.parse(fs.readFileSync(path.join(ROOT, "workflows", "rules", "settlement.json"), "utf8")) as {
    rules: { key: string; name: string; priority?: number; logic: unknown }[];
  };
  for (const r of file.rules) {
    await db.query(
      `insert into public.rules (key, version, kind, name, priority, logic, status, published_at)
       values ($1, 1, 'settlement', $2, $3, $4, 'published', now() - interval '1 day')`,
      [r.key, r.name, r.priority ?? 100, JSON.stringify(r.logic)],
    );
  }
  log(`  settlement rules in force: ${file.rules.length} (workflows/rules/settlement.json)`);
}
