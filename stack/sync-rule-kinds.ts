/**
 * Writes each rule kind's policies from its module in core/rule-kinds into public.rule_kinds, which the
 * rules tables reference: run after every migration run, so a new kind module is all a new kind needs.
 */
import type pg from "pg";
import { RULE_KIND_MODULES } from "../core/rule-kinds/index.ts";

/** One line per kind that was created or updated, e.g. "rule kind referral: created". */
export async function syncRuleKinds(client: pg.Client | pg.PoolClient): Promise<string[]> {
  const changed: string[] = [];
  for (const m of RULE_KIND_MODULES) {
    const { rows } = await client.query<{ outcome: string }>("select private.sync_rule_kind($1, $2, $3, $4) as outcome", [
      m.kind, [...m.combinations], m.unitScoped, m.usesLotKind,
    ]);
    if (rows[0].outcome !== "unchanged") changed.push(`rule kind ${m.kind}: ${rows[0].outcome}`);
  }
  return changed;
}
