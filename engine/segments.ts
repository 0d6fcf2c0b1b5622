/**
 * Segments: the live preview of a condition being edited (public.segment_previews) and the refresh of every
 * published segment's members (public.segment_members), then the care tasks the tags and segments open.
 * Conditions run with the rule engine's bounds per member and a deadline per run (core/segments/evaluate.ts):
 * a failing or slow condition fails its own preview or refresh with the reason, the others go on.
 */
import type pg from "pg";
import { compileSegment, SegmentEvaluationError, type SegmentMatcher } from "../core/segments/evaluate.ts";
import { segmentData, type SegmentMemberRow } from "../core/segments/fields.ts";
import { SEGMENT_DEADLINES, SEGMENT_LIMITS } from "../core/segments/limits.ts";

const PAGE = 2000;

async function tierLadder(pool: pg.Pool): Promise<string[]> {
  return (await pool.query("select code from public.tiers order by rank")).rows.map((r) => r.code as string);
}

interface Target {
  key: string;
  matcher?: SegmentMatcher;
  members: string[];
  error?: string;
}

/** Evaluates each target over every active member as of `now`, page by page; a target that fails stops alone. */
async function evaluateTargets(pool: pg.Pool, targets: Target[], now: Date): Promise<number> {
  const nowIso = now.toISOString();
  let after: string | null = null;
  let evaluated = 0;
  for (;;) {
    if (targets.every((t) => t.error)) break;
    const { rows }: { rows: SegmentMemberRow[] } = await pool.query(
      `select member_id, tier, tags, birthday::text as birthday, joined_on::text as joined_on, home_business_unit, growth_value,
              balance, last_purchase_on::text as last_purchase_on, days_since_purchase, amount_30d, amount_90d, visits_30d,
              visits_90d, units_90d
       from private.segment_member_data($1, $2, $3)`,
      [now, after, PAGE],
    );
    for (const row of rows) {
      const data = segmentData(row, nowIso);
      for (const target of targets) {
        if (target.error || !target.matcher) continue;
        try {
          if (target.matcher(data)) target.members.push(row.member_id);
        } catch (error) {
          target.error = error instanceof SegmentEvaluationError ? `${error.code}: ${error.message}` : String(error);
        }
      }
    }
    evaluated += rows.length;
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1].member_id;
  }
  return evaluated;
}

function target(key: string, logic: unknown, deadline: number, ladder: string[]): Target {
  try {
    return { key, matcher: compileSegment(logic, deadline, { tierLadder: ladder }), members: [] };
  } catch (error) {
    return { key, members: [], error: error instanceof SegmentEvaluationError ? `${error.code}: ${error.message}` : String(error) };
  }
}

/** A preview: its count and the first members (by member id) as sample, or why it failed. */
export async function runSegmentPreview(pool: pg.Pool, previewId: unknown, now = new Date()): Promise<void> {
  if (typeof previewId !== "string") return;
  const claimed = await pool.query(
    "update public.segment_previews set status = 'running' where id = $1 and status = 'queued' returning logic",
    [previewId],
  );
  if (!claimed.rowCount) return;
  const ladder = await tierLadder(pool);
  const t = target("preview", claimed.rows[0].logic, Date.now() + SEGMENT_DEADLINES.previewMs, ladder);
  try {
    const evaluated = t.error ? 0 : await evaluateTargets(pool, [t], now);
    if (t.error) {
      await pool.query(
        "update public.segment_previews set status = 'failed', error = left($2, 2000), finished_at = now() where id = $1",
        [previewId, t.error],
      );
      return;
    }
    await pool.query(
      `update public.segment_previews set status = 'done', members = $2, evaluated = $3, sample = $4::uuid[], finished_at = now()
       where id = $1`,
      [previewId, t.members.length, evaluated, t.members.slice(0, SEGMENT_LIMITS.sample_size)],
    );
  } catch (error) {
    await pool.query(
      "update public.segment_previews set status = 'failed', error = left($2, 2000), finished_at = now() where id = $1",
      [previewId, (error as Error).message ?? String(error)],
    );
  }
}

export interface RefreshResult {
  segments: number;
  failed: number;
  members: number;
  opened: number;
}

/**
 * Refreshes the members of every published segment (or only `segmentKey`) as of `now`: one pass over the members
 * evaluates every segment; each segment's members are replaced as a whole (private.store_segment_members, so a
 * rerun changes nothing); a failed segment keeps its members and records why. Then opens the care tasks.
 */
export async function refreshSegments(pool: pg.Pool, options: { segmentKey?: string; now?: Date } = {}): Promise<RefreshResult> {
  const now = options.now ?? new Date();
  const { rows } = await pool.query(
    `select key, version, logic from public.segment_definitions where status = 'published' and ($1::text is null or key = $1)
     order by key`,
    [options.segmentKey ?? null],
  );
  const ladder = await tierLadder(pool);
  const deadline = Date.now() + SEGMENT_DEADLINES.refreshMs;
  const targets = rows.map((r) => target(r.key as string, r.logic, deadline, ladder));
  if (targets.length) await evaluateTargets(pool, targets, now);
  let failed = 0;
  let members = 0;
  for (const [n, t] of targets.entries()) {
    const version = rows[n].version as number;
    if (t.error) {
      failed++;
      await pool.query("select private.record_segment_refresh_error($1, $2, $3)", [t.key, version, t.error]);
      continue;
    }
    await pool.query("select private.store_segment_members($1, $2, $3::uuid[], $4)", [t.key, version, t.members, now]);
    members += t.members.length;
  }
  const opened = Number((await pool.query("select public.open_care_tasks(least($1::timestamptz, now())) as n", [now])).rows[0].n);
  // Previews are worth keeping only while a segment is being edited.
  await pool.query("delete from public.segment_previews where created_at < now() - interval '1 day'");
  return { segments: targets.length, failed, members, opened };
}
