/**
 * The engine's scheduled jobs: expiry, expiry reminders into the notifications outbox, tier review and
 * automatic tagging. Each is idempotent (a rerun changes nothing more) and safe with several workers;
 * each run is logged in public.engine_runs.
 */
import type pg from "pg";
import { MAX_REMINDER_DAYS, type ReminderData, type RuleProblem, type TaggingData, type TierData } from "../core/evaluation/index.ts";
import type { EvaluationSandbox } from "./evaluation-sandbox.ts";
import { evaluateInline, type EvaluationTask, type TaskItem, type TaskOutcome } from "./evaluation-tasks.ts";
import type { EngineLog } from "./log.ts";
import { recordRuleProblems, type LoadedBook, type RuleStore } from "./store.ts";

const DAY_MS = 86_400_000;

export interface JobEnv {
  pool: pg.Pool;
  store: RuleStore;
  log: EngineLog;
  /** Where rules are evaluated; inline when absent. */
  sandbox?: EvaluationSandbox;
}

function evaluate<T extends EvaluationTask>(env: JobEnv, loaded: LoadedBook, task: T, items: TaskItem<T>[]): Promise<TaskOutcome<T>[]> {
  return env.sandbox ? env.sandbox.evaluate(loaded, task, items) : Promise.resolve(evaluateInline(loaded.book, task, items));
}

/** Runs a job body and logs its run (ok or failed) in engine_runs; rethrows so graphile-worker retries. */
export async function logged<T>(env: JobEnv, job: string, payload: unknown, body: () => Promise<T>): Promise<T> {
  const started = new Date();
  try {
    const result = await body();
    await env.pool.query("insert into public.engine_runs (job, payload, started_at, ok, result) values ($1, $2, $3, true, $4)", [
      job, JSON.stringify(payload ?? null), started, JSON.stringify(result ?? null),
    ]);
    env.log.info(`${job}: ${JSON.stringify(result)}`);
    return result;
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    await env.pool
      .query("insert into public.engine_runs (job, payload, started_at, ok, error) values ($1, $2, $3, false, $4)", [
        job, JSON.stringify(payload ?? null), started, message.slice(0, 2000),
      ])
      .catch(() => undefined);
    env.log.error(`${job} failed: ${message}`);
    throw error;
  }
}

/** Expires every due lot, committing per batch (private.expire_due_lots_batched): how many lots and points. */
export async function expireLots(env: JobEnv): Promise<{ expired: number; points: number }> {
  const { rows } = await env.pool.query("call private.expire_due_lots_batched(now(), 50000, null)");
  return { expired: Number(rows[0]?.p_expired ?? 0), points: Number(rows[0]?.p_points ?? 0) };
}

export interface TierReviewOptions {
  /** Only these members (tests, targeted reruns). */
  memberIds?: string[];
  now?: Date;
  batchSize?: number;
}

/**
 * Tier review: the tier rules in force give each active member the tier they hold at least; public.review_tiers
 * re-ranks the members whose review period ended (the highest of growth, the rules and a paid tier) and lifts the
 * others at once when the rules' tier is above theirs, batch by batch (by member id). Without tier rules in force
 * it is one call.
 */
export async function reviewTiers(env: JobEnv, options: TierReviewOptions = {}): Promise<{ changed: number; members: number; ruled: number }> {
  const loaded = await env.store.reload();
  const now = options.now ?? new Date();
  const nowMs = now.getTime();
  if (loaded.book.inForce("tier", null, nowMs).rules.length === 0) {
    const { rows } = await env.pool.query("select public.review_tiers($1, '[]', null, null, $2::uuid[]) as changed", [now, options.memberIds ?? null]);
    return { changed: Number(rows[0].changed), members: 0, ruled: 0 };
  }
  const batchSize = options.batchSize ?? 1000;
  let after: string | null = null;
  let members = 0;
  let ruled = 0;
  let changed = 0;
  const problems: RuleProblem[] = [];
  for (;;) {
    const { rows } = await env.pool.query(
      `select m.id, t.code as tier, m.tags, m.birthday::text as birthday, m.growth_value, m.created_at, m.status::text as status,
              home.code as home
       from public.members m
       join public.tiers t on t.id = m.tier_id
       left join public.business_units home on home.id = m.home_business_unit_id
       where m.status = 'active' and m.merged_into is null and ($1::uuid is null or m.id > $1)
         and ($3::uuid[] is null or m.id = any ($3::uuid[]))
       order by m.id
       limit $2`,
      [after, batchSize, options.memberIds ?? null],
    );
    if (rows.length === 0) break;
    const inputs = rows.map((r): { data: TierData; nowMs: number } => ({
      data: {
        member: {
          tier: r.tier, tags: r.tags ?? [], birthday: r.birthday, growth_value: r.growth_value,
          joined_at: (r.created_at as Date).toISOString(), status: r.status, home_business_unit: r.home,
        },
        now: now.toISOString(),
      },
      nowMs,
    }));
    const outcomes = await evaluate(env, loaded, "tiers", inputs);
    const ruleTiers: { member_id: string; tier: string; rule_key: string; rule_version: number }[] = [];
    for (const [n, r] of rows.entries()) {
      members++;
      const { tier, applied, errors } = outcomes[n];
      problems.push(...errors);
      if (tier && applied[0]) ruleTiers.push({ member_id: r.id, tier, rule_key: applied[0].key, rule_version: applied[0].version });
    }
    ruled += ruleTiers.length;
    const through = rows[rows.length - 1].id as string;
    const res = await env.pool.query("select public.review_tiers($1, $2::jsonb, $3::uuid, $4::uuid, $5::uuid[]) as changed", [
      now, JSON.stringify(ruleTiers), after, rows.length < batchSize ? null : through, options.memberIds ?? null,
    ]);
    changed += Number(res.rows[0].changed);
    after = through;
    if (rows.length < batchSize) break;
  }
  await recordRuleProblems(env.pool, dedupeProblems(problems));
  return { changed, members, ruled };
}

/** Paid tiers whose validity ended: members return to the tier their growth earns (public.expire_paid_tiers). */
export async function expirePaidTiers(env: JobEnv): Promise<{ changed: number }> {
  const { rows } = await env.pool.query("select public.expire_paid_tiers(now()) as changed");
  return { changed: Number(rows[0].changed) };
}

/**
 * Benefits: tier benefits of the current period for members holding a granting tier, birthday benefits for
 * members in their birthday month (business time zone; a late run in the month still grants), expiry of
 * grants past valid_until (public.run_benefit_grants). A rerun grants nothing more.
 */
export async function runBenefitGrants(env: JobEnv, asOf?: Date): Promise<{ tier: number; birthday: number; expired: number }> {
  const { rows } = await env.pool.query("select public.run_benefit_grants(coalesce($1::timestamptz, now())) as result", [asOf ?? null]);
  return rows[0].result as { tier: number; birthday: number; expired: number };
}

/** What one pass of the campaigns job did (private.run_campaigns). */
export interface CampaignRun {
  started: number;
  ended: number;
  given: number;
  settled: number;
  failed: { campaign_id: string; error: string }[];
}

/**
 * Marketing campaigns: approved ones whose start came run, live ones whose end came end, running grant and message
 * campaigns give their offer to the next batch of treatment members within the budget (once per member), and ended
 * or cancelled ones have their cost shared to settlement once (private.run_campaigns). A rerun gives nothing twice.
 */
export async function runCampaigns(env: Pick<JobEnv, "pool">, asOf?: Date): Promise<CampaignRun> {
  const { rows } = await env.pool.query("select private.run_campaigns(coalesce($1::timestamptz, now())) as result", [asOf ?? null]);
  return rows[0].result as CampaignRun;
}

/** Approval deadlines: reminders and escalations of open steps, each once (public.run_approval_deadlines). */
export async function runApprovalDeadlines(env: JobEnv): Promise<{ reminded: number; escalated: number }> {
  const { rows } = await env.pool.query("select public.run_approval_deadlines(now()) as result");
  return rows[0].result as { reminded: number; escalated: number };
}

/** Dashboard rollups: folds the deltas written since the last fold (private.fold_rollups; several engines are safe). */
export async function foldRollups(env: JobEnv): Promise<Record<string, unknown>> {
  const { rows } = await env.pool.query("select private.fold_rollups() as result");
  return rows[0].result as Record<string, unknown>;
}

/**
 * Audit chain: seals the committed unsealed audit rows after the chain's head (private.seal_audit_chain; one
 * sealer at a time, another engine's call returns 0 at once). Audited writes take no lock; this links them.
 */
export async function sealAuditChain(env: JobEnv): Promise<{ sealed: number }> {
  let sealed = 0;
  for (let pass = 0; pass < 10; pass++) {
    const { rows } = await env.pool.query("select private.seal_audit_chain(10000) as n");
    sealed += rows[0].n as number;
    if (rows[0].n < 10000) break;
  }
  return { sealed };
}

function dedupeProblems(list: RuleProblem[]): RuleProblem[] {
  const seen = new Map<string, RuleProblem>();
  for (const p of list) seen.set(`${p.rule_id}|${p.stage}|${p.message}`, p);
  return [...seen.values()];
}

export interface ReminderOptions {
  /** Only these members (tests, targeted reruns). */
  memberIds?: string[];
  now?: Date;
}

/**
 * Expiry reminders: for each open lot expiring within the next 31 days, the reminder rules give the day
 * offsets (e.g. 7, 3, 1); the reminder due now is the smallest offset not below the days left (ceil),
 * so a late run sends the latest applicable reminder, not every missed one. Rows go into
 * notifications_outbox (template points_expiring, dedupe key <lot>:<days>): a rerun adds nothing.
 */
export async function sendReminders(env: JobEnv, options: ReminderOptions = {}): Promise<{ lots: number; queued: number }> {
  const loaded = await env.store.reload();
  const now = options.now ?? new Date();
  const nowMs = now.getTime();
  const until = new Date(nowMs + (MAX_REMINDER_DAYS + 1) * DAY_MS);
  let after: [Date, number] = [new Date(0), 0];
  let lots = 0;
  let queued = 0;
  const problems: RuleProblem[] = [];
  for (;;) {
    const { rows } = await env.pool.query(
      `select l.id, l.member_id, l.kind, l.remaining_points, l.earned_at, l.expires_at, bu.code as bu_code, bu.kind as bu_kind,
              t.code as tier, m.tags, m.birthday::text as birthday, m.member_no
       from public.point_lots l
       join public.members m on m.id = l.member_id
       join public.tiers t on t.id = m.tier_id
       join public.business_units bu on bu.id = l.business_unit_id
       where l.remaining_points > 0 and l.expires_at > $1 and l.expires_at <= $2
         and (l.expires_at, l.id) > ($3, $4) and m.status = 'active'
         and ($5::uuid[] is null or l.member_id = any ($5::uuid[]))
       order by l.expires_at, l.id
       limit 5000`,
      [now, until, after[0], after[1], options.memberIds ?? null],
    );
    if (rows.length === 0) break;
    const last = rows[rows.length - 1];
    after = [last.expires_at, Number(last.id)];
    const out: unknown[] = [];
    const daysLeftOf = (r: (typeof rows)[number]) => Math.ceil(((r.expires_at as Date).getTime() - nowMs) / DAY_MS);
    const inputs = rows.map((r): { data: ReminderData; nowMs: number } => ({
      data: {
        lot: {
          id: Number(r.id), kind: r.kind, points: r.remaining_points, earned_at: (r.earned_at as Date).toISOString(),
          expires_at: (r.expires_at as Date).toISOString(), business_unit: { code: r.bu_code, kind: r.bu_kind },
        },
        member: { tier: r.tier, tags: r.tags ?? [], birthday: r.birthday },
        days_left: daysLeftOf(r),
        now: now.toISOString(),
      },
      nowMs,
    }));
    const outcomes = await evaluate(env, loaded, "reminders", inputs);
    for (const [n, r] of rows.entries()) {
      lots++;
      const expiresMs = (r.expires_at as Date).getTime();
      const daysLeft = daysLeftOf(r);
      const { offsets, errors } = outcomes[n];
      problems.push(...errors);
      const due = offsets.find((o) => o.days >= daysLeft);
      if (!due) continue;
      out.push({
        member_id: r.member_id,
        channel: due.channel,
        dedupe_key: `${r.id}:${due.days}`,
        payload: {
          lot_id: Number(r.id), days_before: due.days, days_left: daysLeft, points: r.remaining_points,
          expires_at: new Date(expiresMs).toISOString(), lot_kind: r.kind, member_no: r.member_no,
        },
      });
    }
    if (out.length) {
      const res = await env.pool.query(
        `insert into public.notifications_outbox (member_id, channel, template, payload, dedupe_key, due_at)
         select x.member_id, x.channel, 'points_expiring', x.payload, x.dedupe_key, $2
         from jsonb_to_recordset($1::jsonb) as x (member_id uuid, channel text, payload jsonb, dedupe_key text)
         on conflict (member_id, template, dedupe_key) do nothing`,
        [JSON.stringify(out), now],
      );
      queued += res.rowCount ?? 0;
    }
    if (rows.length < 5000) break;
  }
  await recordRuleProblems(env.pool, dedupeProblems(problems));
  return { lots, queued };
}

export interface TaggingOptions {
  memberIds?: string[];
  now?: Date;
  batchSize?: number;
}

/**
 * Automatic tags: the tagging rules give each active member's automatic tags from the member and the
 * last year's activity; members.tags becomes (manual tags) + (automatic tags), where manual tags are the
 * ones auto-tagging did not add (public.member_auto_tags remembers what it added). Written set-based per
 * batch, only for members whose tags change, with app.reason 'auto-tagging' in the audit trail; a
 * member edited meanwhile is left for the next run.
 */
export async function autoTag(env: JobEnv, options: TaggingOptions = {}): Promise<{ members: number; changed: number }> {
  const loaded = await env.store.reload();
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 1000;
  let after = "00000000-0000-0000-0000-000000000000";
  let members = 0;
  let changed = 0;
  const problems: RuleProblem[] = [];
  for (;;) {
    const { rows } = await env.pool.query(
      `select m.id, t.code as tier, m.tags, m.birthday::text as birthday, m.growth_value, m.created_at, home.code as home,
              coalesce(b.balance, 0)::float8 as balance, coalesce(a.tags, '{}') as auto_tags, s.*
       from public.members m
       join public.tiers t on t.id = m.tier_id
       left join public.business_units home on home.id = m.home_business_unit_id
       left join public.point_balances b on b.member_id = m.id
       left join public.member_auto_tags a on a.member_id = m.id
       left join lateral (
         select count(*) filter (where x.occurred_at > $1::timestamptz - interval '90 days')::int as transactions_90d,
                coalesce(sum(x.amount) filter (where x.occurred_at > $1::timestamptz - interval '90 days'), 0)::float8 as amount_90d,
                count(*)::int as transactions_365d,
                coalesce(sum(x.amount), 0)::float8 as amount_365d,
                count(*) filter (where u.kind = 'hotel')::int as hotel_transactions_365d,
                coalesce(array_agg(distinct u.code), '{}') as units_365d,
                max(x.occurred_at) as last_transaction_at
         from public.transactions x join public.business_units u on u.id = x.business_unit_id
         where x.member_id = m.id and x.occurred_at > $1::timestamptz - interval '365 days' and x.occurred_at <= $1) s on true
       where m.status = 'active' and m.merged_into is null and m.id > $2
         and ($4::uuid[] is null or m.id = any ($4::uuid[]))
       order by m.id
       limit $3`,
      [now, after, batchSize, options.memberIds ?? null],
    );
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    const updates: { member_id: string; old_tags: string[]; tags: string[]; auto: string[] }[] = [];
    const inputs = rows.map((r): { data: TaggingData; nowMs: number } => ({
      data: {
        member: {
          tier: r.tier, tags: r.tags ?? [], birthday: r.birthday, growth_value: r.growth_value,
          joined_at: (r.created_at as Date).toISOString(), home_business_unit: r.home,
        },
        stats: {
          transactions_90d: r.transactions_90d, amount_90d: r.amount_90d, transactions_365d: r.transactions_365d,
          amount_365d: r.amount_365d, hotel_transactions_365d: r.hotel_transactions_365d, units_365d: r.units_365d ?? [],
          last_transaction_at: r.last_transaction_at ? (r.last_transaction_at as Date).toISOString() : null,
          balance: r.balance,
        },
        now: now.toISOString(),
      },
      nowMs: now.getTime(),
    }));
    const outcomes = await evaluate(env, loaded, "tags", inputs);
    for (const [n, r] of rows.entries()) {
      members++;
      const { tags: wanted, errors } = outcomes[n];
      problems.push(...errors);
      const oldTags: string[] = r.tags ?? [];
      const prevAuto: string[] = r.auto_tags ?? [];
      const manual = oldTags.filter((t) => !prevAuto.includes(t));
      const auto = wanted.filter((t) => !manual.includes(t));
      const tags = [...manual, ...auto];
      const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
      if (same(tags, oldTags) && same(auto, prevAuto)) continue;
      updates.push({ member_id: r.id, old_tags: oldTags, tags, auto });
    }
    if (updates.length) changed += await writeTags(env, updates);
    if (rows.length < batchSize) break;
  }
  await recordRuleProblems(env.pool, dedupeProblems(problems));
  return { members, changed };
}

async function writeTags(env: JobEnv, updates: { member_id: string; old_tags: string[]; tags: string[]; auto: string[] }[]): Promise<number> {
  const client = await env.pool.connect();
  const write = async (batch: typeof updates) => {
    await client.query("begin");
    await client.query("select set_config('app.reason', 'auto-tagging', true)");
    const res = await client.query(
      `update public.members m set tags = x.tags
       from jsonb_to_recordset($1::jsonb) as x (member_id uuid, old_tags text[], tags text[], auto text[])
       where m.id = x.member_id and m.tags = x.old_tags and m.tags is distinct from x.tags`,
      [JSON.stringify(batch)],
    );
    await client.query(
      `insert into public.member_auto_tags as a (member_id, tags, updated_at)
       select x.member_id, x.auto, now()
       from jsonb_to_recordset($1::jsonb) as x (member_id uuid, old_tags text[], tags text[], auto text[])
       join public.members m on m.id = x.member_id and m.tags = x.tags
       on conflict (member_id) do update set tags = excluded.tags, updated_at = now()
       where a.tags is distinct from excluded.tags`,
      [JSON.stringify(batch)],
    );
    await client.query("commit");
    return res.rowCount ?? 0;
  };
  try {
    try {
      return await write(updates);
    } catch (error) {
      await client.query("rollback");
      if (updates.length === 1) {
        env.log.warn(`auto-tagging member ${updates[0].member_id} failed: ${(error as Error).message}`);
        return 0;
      }
      let n = 0;
      for (const u of updates) {
        try {
          n += await write([u]);
        } catch (e) {
          await client.query("rollback");
          env.log.warn(`auto-tagging member ${u.member_id} failed: ${(e as Error).message}`);
        }
      }
      return n;
    }
  } finally {
    client.release();
  }
}
