/**
 * The default rules in workflows/rules/*.json, synced into Supabase on every start: each kind's group-wide
 * rule set is created if absent, and each rule goes through stack/sync-definitions.ts (a new key is created,
 * a changed rule publishes a new version, which the engine uses from then on; a rule changed in the UI is
 * kept). The first seeding publishes the rules as of the programme's opening: midnight (China time) of the
 * day the first member registered (the demo history, imported members), so every recorded transaction earns
 * by them; rules added later, or in a database without members, count from now.
 */
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { isLotKind } from "../core/enums/index.ts";
import type { Combination } from "../core/evaluation/index.ts";
import { isRuleKind, ruleKind, type RuleKind } from "../core/rule-kinds/index.ts";
import { validateRule } from "../core/rules/index.ts";
import { ROOT } from "./config.ts";
import { syncDefinition, type SyncedDefinition } from "./sync-definitions.ts";

export const RULES_DIR = path.join(ROOT, "workflows", "rules");

/** When the rules seeded now count as published (see above). */
async function seededPublishedAt(client: pg.Client | pg.PoolClient): Promise<Date> {
  const { rows } = await client.query<{ at: Date }>(
    `select case when exists (select 1 from public.rules where published_at is not null) then now()
                 else coalesce((select date_trunc('day', min(created_at) at time zone private.business_time_zone()) at time zone private.business_time_zone()
                                from public.members), now()) end as at`,
  );
  return rows[0].at;
}

export interface SeedRule {
  key: string;
  /** Chinese (the default language) and English texts: no internal identifiers. */
  name: string;
  name_en: string;
  description: string;
  description_en: string;
  priority?: number;
  lot_kind?: string;
  active_from?: string;
  active_to?: string;
  logic: unknown;
}

export interface SeedRuleSet {
  /** the file it was read from (name only) */
  file: string;
  kind: RuleKind;
  combination: Combination;
  description: string;
  description_en: string;
  rules: SeedRule[];
}

/** The rule sets in workflows/rules, checked with the evaluator's validator (throws on a bad file). */
export function readSeedRules(dir = RULES_DIR): SeedRuleSet[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const set = { ...(JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Omit<SeedRuleSet, "file">), file: f };
      if (!isRuleKind(set.kind)) throw new Error(`${f}: unknown rule kind ${JSON.stringify(set.kind)}`);
      const kind = ruleKind(set.kind);
      if (!kind.combinations.includes(set.combination)) throw new Error(`${f}: a ${set.kind} rule set cannot combine by ${set.combination}`);
      for (const rule of set.rules) {
        if (rule.lot_kind !== undefined && (!kind.usesLotKind || !isLotKind(rule.lot_kind))) {
          throw new Error(`${f}: rule ${rule.key} names lot kind ${JSON.stringify(rule.lot_kind)}, which its kind does not take`);
        }
        const result = validateRule(rule.logic);
        if (!result.ok) {
          throw new Error(`${f}: rule ${rule.key} is invalid: ${result.errors.map((e) => `${e.path || "(root)"} ${e.message}`).join("; ")}`);
        }
      }
      return set;
    });
}

/** Syncs every rule of the files in `dir`; returns what happened to each. */
export async function seedRules(client: pg.Client | pg.PoolClient, dir = RULES_DIR): Promise<SyncedDefinition[]> {
  const synced: SyncedDefinition[] = [];
  const publishedAt = await seededPublishedAt(client);
  for (const set of readSeedRules(dir)) {
    await client.query(
      `insert into public.rule_sets (kind, combination, description, description_en)
       select $1, $2, $3, $4 where not exists (select 1 from public.rule_sets where kind = $1 and business_unit_id is null)`,
      [set.kind, set.combination, set.description, set.description_en],
    );
    for (const rule of set.rules) {
      const columns = {
        kind: set.kind, name: rule.name, name_en: rule.name_en, description: rule.description, description_en: rule.description_en,
        priority: rule.priority ?? 100, logic: rule.logic, lot_kind: rule.lot_kind ?? null,
        active_from: rule.active_from ?? null, active_to: rule.active_to ?? null,
      };
      synced.push(await syncDefinition(client, "rule", rule.key, columns, {
        name: `rules/${rule.key}`, file: path.join(dir, set.file), publishedAt,
      }));
    }
  }
  return synced;
}
