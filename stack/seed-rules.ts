/**
 * Seeds the default rules from workflows/rules/*.json into Supabase: each kind's group-wide rule set (if
 * absent) and each rule key absent from the database as version 1, published. Keys already present are
 * left alone (staff may have changed them). Seeded versions count as published at SEED_PUBLISHED_AT, so
 * transactions of any date (the demo history, imports) earn by them unless a later version supersedes them.
 */
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { validateRule } from "../core/rules/index.ts";
import { ROOT } from "./config.ts";

export const RULES_DIR = path.join(ROOT, "workflows", "rules");
export const SEED_PUBLISHED_AT = "2000-01-01T00:00:00+08:00";

export interface SeedRule {
  key: string;
  name: string;
  description?: string;
  priority?: number;
  lot_kind?: string;
  active_from?: string;
  active_to?: string;
  logic: unknown;
}

export interface SeedRuleSet {
  kind: "earning" | "expiry" | "tier" | "tagging" | "reminder";
  combination: "first" | "sum" | "max" | "union";
  description?: string;
  rules: SeedRule[];
}

/** The rule sets in workflows/rules, checked with the evaluator's validator (throws on a bad file). */
export function readSeedRules(dir = RULES_DIR): SeedRuleSet[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const set = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as SeedRuleSet;
      for (const rule of set.rules) {
        const result = validateRule(rule.logic);
        if (!result.ok) {
          throw new Error(`${f}: rule ${rule.key} is invalid: ${result.errors.map((e) => `${e.path || "(root)"} ${e.message}`).join("; ")}`);
        }
      }
      return set;
    });
}

/** Inserts what is missing; returns the number of rules added. */
export async function seedRules(client: pg.Client | pg.PoolClient, dir = RULES_DIR): Promise<number> {
  let added = 0;
  for (const set of readSeedRules(dir)) {
    await client.query(
      `insert into public.rule_sets (kind, combination, description)
       select $1, $2, $3 where not exists (select 1 from public.rule_sets where kind = $1 and business_unit_id is null)`,
      [set.kind, set.combination, set.description ?? null],
    );
    for (const rule of set.rules) {
      const result = await client.query(
        `insert into public.rules (key, version, kind, name, description, priority, logic, lot_kind, active_from, active_to,
                                   status, published_at)
         select $1, 1, $2, $3, $4, $5, $6, $7, $8, $9, 'published', $10
         where not exists (select 1 from public.rules where key = $1)`,
        [rule.key, set.kind, rule.name, rule.description ?? null, rule.priority ?? 100, JSON.stringify(rule.logic),
          rule.lot_kind ?? null, rule.active_from ?? null, rule.active_to ?? null, SEED_PUBLISHED_AT],
      );
      added += result.rowCount ?? 0;
    }
  }
  return added;
}
