/**
 * The metric registry (core/metrics) against SQL: every metric's function exists with the calling
 * convention's parameters and returns its dimensions then its measures; drill functions take the same
 * parameters plus a page; the business time zone, the limits and the lot kinds agree.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOT_KINDS } from "../../core/enums/index.ts";
import { BUSINESS_TIME_ZONE, DEFAULT_POINT_VALUE_YUAN, METRIC_LIMITS, METRIC_MODULES } from "../../core/metrics/index.ts";
import { superuser } from "./stack-env.ts";

let db: pg.Client;
beforeAll(async () => {
  db = await superuser();
});
afterAll(async () => {
  await db?.end();
});

const CONVENTION = "p_from date DEFAULT NULL::date, p_to date DEFAULT NULL::date, p_grain text DEFAULT 'day'::text, " +
  "p_business_units uuid[] DEFAULT NULL::uuid[], p_tiers text[] DEFAULT NULL::text[], p_lot_kinds text[] DEFAULT NULL::text[]";

async function signature(name: string) {
  const { rows } = await db.query(
    `select pg_get_function_arguments(p.oid) as args, pg_get_function_result(p.oid) as result, p.prosecdef as definer,
            has_function_privilege('anon', p.oid, 'execute') as anon, has_function_privilege('authenticated', p.oid, 'execute') as authenticated
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' and p.proname = $1`, [name]);
  return rows;
}

describe("metric registry parity", () => {
  it.each(METRIC_MODULES.map((m) => [m.key, m] as const))("%s: its function follows the convention", async (_key, m) => {
    const found = await signature(m.rpc);
    expect(found).toHaveLength(1);
    expect(found[0].args).toBe(CONVENTION);
    const columns = [...m.dimensions.map((d) => d.key), ...m.measures.map((x) => x.key)];
    const result = /^TABLE\((.*)\)$/.exec(found[0].result)?.[1].split(", ").map((c: string) => c.split(" ")[0]);
    expect(result).toEqual(columns);
    expect(found[0]).toMatchObject({ definer: true, anon: false, authenticated: true });
    if (m.drillRpc) {
      const drill = await signature(m.drillRpc);
      expect(drill).toHaveLength(1);
      expect(drill[0].args).toBe(`${CONVENTION}, p_limit integer DEFAULT 50, p_offset integer DEFAULT 0`);
      expect(drill[0]).toMatchObject({ anon: false, authenticated: true });
    }
  });

  it("metric keys, positions and rpc names are unique", () => {
    for (const field of ["key", "position", "rpc"] as const) {
      expect(new Set(METRIC_MODULES.map((m) => m[field])).size).toBe(METRIC_MODULES.length);
    }
  });

  it("the business time zone, the limits, the lot kinds and the default point value agree with SQL", async () => {
    const { rows } = await db.query(
      `select private.business_time_zone() as zone, private.metric_limits() as limits, private.lot_kinds() as kinds,
              (select value::float from analytics_settings where key = 'point_value_yuan') as point_value`);
    expect(rows[0].zone).toBe(BUSINESS_TIME_ZONE);
    expect(rows[0].limits).toEqual(METRIC_LIMITS);
    expect(rows[0].kinds).toEqual([...LOT_KINDS]);
    expect(rows[0].point_value).toBe(DEFAULT_POINT_VALUE_YUAN);
  });
});
