/**
 * The rules engine: a Node worker on graphile-worker (jobs and cron in Postgres). Several engines may run
 * at once against one database (graphile-worker locks jobs; every job is idempotent).
 *
 *   const engine = await startEngine({ databaseUrl });   // runs graphile-worker's migrations first
 *   ...
 *   await engine.stop();
 *
 * Tasks: earn_transaction (queued by a trigger on public.transactions, in the inserting transaction),
 * expire_lots, send_reminders, review_tiers, auto_tag (daily crons), expire_paid_tiers and benefit_grants (every 10 minutes: tier benefits of the period, birthday gifts, expiry of grants), campaigns (every minute: campaigns start and end, grants and messages of running ones within their budget, cost to settlement at the end), approval_deadlines (every 5 minutes; see DEFAULT_CRONTAB), fold_rollups (every minute: dashboard rollups), refresh_segments (every 30 minutes and on publishing a segment: segment members, then care tasks), segment_preview (queued by inserting into public.segment_previews), audit_seal (every minute: links the new audit rows into the hash chain), deliver_notifications and deliver_webhooks (queued when a message or event is written, and every minute for retries that came due), what_if (queued
 * by inserting into public.what_if_runs), verify_rule_tests (queued by public.request_rule_verification). Besides, every engine sweeps for transactions that were never
 * evaluated and whose earn job is missing or stuck with a dead worker, at start and every minute.
 */
import { Logger, run, runMigrations, type LogLevel, type Runner, type TaskList } from "graphile-worker";
import pg from "pg";
import { Earner, type EarnerStats } from "./earn.ts";
import { EvaluationSandbox, type SandboxOptions } from "./evaluation-sandbox.ts";
import { autoTag, expireLots, expirePaidTiers, foldRollups, logged, reviewTiers, runApprovalDeadlines, runBenefitGrants, runCampaigns, sealAuditChain, sendReminders, type JobEnv } from "./jobs.ts";
import { engineLog, type EngineLog, type LogSink } from "./log.ts";
import { RULE_KIND_MODULES } from "../core/rule-kinds/index.ts";
import { RuleStore } from "./store.ts";
import { verifyRuleTests } from "./rule-tests.ts";
import { runWhatIfJob } from "./what-if-job.ts";
import { refreshSegments, runSegmentPreview } from "./segments.ts";
import { channelAdapters, notifySettingsFromEnv, type NotifySettings } from "./notify/adapters.ts";
import { deliverNotifications, deliverWebhooks } from "./notify/deliver.ts";

/**
 * graphile-worker runs lower priorities first; earn jobs are queued at 0, so a backlog of earnings (an import,
 * a restart after downtime) never holds back the scheduled jobs, the rollup fold above all.
 */
export const CRON_PRIORITY = -10;

/**
 * Times are UTC (graphile-worker's cron clock): 16:05 UTC is 00:05 in Asia/Shanghai.
 * Expiry just after midnight, tier review after it, tagging at 02:00, reminders at 09:00 (China time).
 */
export const DEFAULT_CRONTAB = [
  `5 16 * * * expire_lots ?max=3&jobKey=cron:expire_lots&priority=${CRON_PRIORITY}`,
  `30 16 * * * review_tiers ?max=3&jobKey=cron:review_tiers&priority=${CRON_PRIORITY}`,
  `*/10 * * * * expire_paid_tiers ?max=3&jobKey=cron:expire_paid_tiers&priority=${CRON_PRIORITY}`,
  `*/10 * * * * benefit_grants ?max=3&jobKey=cron:benefit_grants&priority=${CRON_PRIORITY}`,
  `* * * * * campaigns ?max=3&jobKey=cron:campaigns&priority=${CRON_PRIORITY}`,
  `0 18 * * * auto_tag ?max=3&jobKey=cron:auto_tag&priority=${CRON_PRIORITY}`,
  `0 1 * * * send_reminders ?max=3&jobKey=cron:send_reminders&priority=${CRON_PRIORITY}`,
  `*/5 * * * * approval_deadlines ?max=3&jobKey=cron:approval_deadlines&priority=${CRON_PRIORITY}`,
  `* * * * * fold_rollups ?max=1&jobKey=cron:fold_rollups&priority=${CRON_PRIORITY}`,
  `*/30 * * * * refresh_segments ?max=3&jobKey=cron:refresh_segments&priority=${CRON_PRIORITY}`,
  `* * * * * audit_seal ?max=1&jobKey=cron:audit_seal&priority=${CRON_PRIORITY}`,
  // Retries that came due; new messages and events queue the same jobs when they are written.
  `* * * * * deliver_notifications ?max=1&jobKey=deliver_notifications&priority=${CRON_PRIORITY}`,
  `* * * * * deliver_webhooks ?max=1&jobKey=deliver_webhooks&priority=${CRON_PRIORITY}`,
].join("\n");

export interface EngineOptions {
  databaseUrl: string;
  /** Jobs run at once by this engine (earn jobs are batched across them). Default 96. */
  concurrency?: number;
  /** graphile-worker crontab; "" for none (tests). Default DEFAULT_CRONTAB. */
  crontab?: string;
  /** Log lines (default: warnings and errors to the console, prefixed "engine:"). */
  log?: LogSink;
  verbose?: boolean;
  /** How often this engine runs the catch-up sweep, ms (default 60000; 0: only at start). */
  sweepIntervalMs?: number;
  /** An earn job locked for longer than this is considered abandoned by a dead worker (default 120 s). */
  staleAfterSeconds?: number;
  /** Most transactions per earn batch (default 32; concurrency / maxBatch batches run at once). */
  maxBatch?: number;
  /** Let graphile-worker handle SIGINT/SIGTERM itself (default false: the caller stops the engine). */
  handleSignals?: boolean;
  /** Worker threads of a what-if run (default: CPUs, at most 4). */
  whatIfThreads?: number;
  /** Postgres connections of this engine (default 10). */
  poolSize?: number;
  /**
   * Earn evaluation in a worker thread with a bounded heap and a deadline per batch (default), so a runaway
   * rule ends that thread, not the engine; false evaluates in this thread (core/rules' bounds only).
   */
  evaluationThread?: boolean | SandboxOptions;
  /** Channel settings of the delivery passes (default: notifySettingsFromEnv(), SMTP_HOST, NOTIFY_HTTP_URL...). */
  notify?: NotifySettings;
}

export interface RunningEngine {
  stop(): Promise<void>;
  /** Runs the catch-up sweep now (full: every transaction, else the last day's); returns how many earn jobs it queued. */
  sweep(full?: boolean): Promise<number>;
  runner: Runner;
  pool: pg.Pool;
  /** Earn batching counters of this engine. */
  earnStats: EarnerStats;
}

function workerLogger(log: EngineLog, verbose: boolean): Logger {
  return new Logger(() => (level: LogLevel, message: string) => {
    if (level === "error") log.error(message);
    // Earn jobs share a few connections through batching: fewer connections than jobs is intended.
    else if (level === "warning" && !/smaller than concurrency/.test(message)) log.warn(message);
    else if (verbose) log.info(message);
  });
}

/**
 * Creates (or upgrades) graphile-worker's schema, so that inserting a transaction can queue its earn job.
 * The stack calls it before the demo seed; startEngine calls it too.
 */
export async function prepareWorkerSchema(databaseUrl: string, log: EngineLog = engineLog()): Promise<void> {
  await runMigrations({ connectionString: databaseUrl, logger: workerLogger(log, false) });
}

export async function startEngine(options: EngineOptions): Promise<RunningEngine> {
  const log = engineLog(options.log, options.verbose);
  const concurrency = options.concurrency ?? 96;
  let sandbox: EvaluationSandbox | undefined;
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10, application_name: "rules-engine" });
  pool.on("error", (error) => log.error(`idle connection error: ${error.message}`));
  pool.on("connect", (client) => client.on("error", (error) => log.error(`connection error: ${error.message}`)));
  try {
    await prepareWorkerSchema(options.databaseUrl, log);
    const store = new RuleStore(pool, log);
    await store.reload();
    const maxBatch = options.maxBatch ?? 32;
    const threadOptions = options.evaluationThread ?? true;
    sandbox = threadOptions === false ? undefined : new EvaluationSandbox(log, threadOptions === true ? {} : threadOptions);
    // Enough batches in flight for every running job: each batch is one posting transaction in Postgres.
    const earner = new Earner(pool, store, log, { maxBatch, maxInFlight: Math.max(1, Math.ceil(concurrency / maxBatch)), sandbox });
    const env: JobEnv = { pool, store, log, sandbox };
    const notify = options.notify ?? notifySettingsFromEnv();
    const adapters = channelAdapters(notify);
    const payloadOf = (p: unknown) => (p && typeof p === "object" ? (p as Record<string, unknown>) : {});

    const taskList: TaskList = {
      earn_transaction: async (payload) => {
        const id = payloadOf(payload).transaction_id;
        try {
          await earner.earn(id);
        } catch (error) {
          // Counted per transaction: at the limit it is parked as failed and its job ends here.
          const message = (error as Error)?.message ?? String(error);
          const parked = (await pool.query("select private.record_earn_failure($1::uuid, $2) as parked", [id, message])).rows[0].parked;
          if (!parked) throw error;
          log.warn(`transaction ${String(id)} parked as failed after repeated errors (last: ${message})`);
        }
      },
      expire_lots: async (payload) => {
        await logged(env, "expire_lots", payload, () => expireLots(env));
      },
      approval_deadlines: async (payload) => {
        await logged(env, "approval_deadlines", payload, () => runApprovalDeadlines(env));
      },
      fold_rollups: async (payload) => {
        await logged(env, "fold_rollups", payload, () => foldRollups(env));
      },
      audit_seal: async (payload) => {
        await logged(env, "audit_seal", payload, () => sealAuditChain(env));
      },
      review_tiers: async (payload) => {
        await logged(env, "review_tiers", payload, () => reviewTiers(env));
      },
      expire_paid_tiers: async (payload) => {
        await logged(env, "expire_paid_tiers", payload, () => expirePaidTiers(env));
      },
      benefit_grants: async (payload) => {
        await logged(env, "benefit_grants", payload, () => runBenefitGrants(env));
      },
      campaigns: async (payload) => {
        await logged(env, "campaigns", payload, () => runCampaigns(env));
      },
      send_reminders: async (payload) => {
        const p = payloadOf(payload);
        await logged(env, "send_reminders", payload, () =>
          sendReminders(env, { memberIds: Array.isArray(p.member_ids) ? (p.member_ids as string[]) : undefined }));
      },
      auto_tag: async (payload) => {
        const p = payloadOf(payload);
        await logged(env, "auto_tag", payload, () =>
          autoTag(env, { memberIds: Array.isArray(p.member_ids) ? (p.member_ids as string[]) : undefined }));
      },
      refresh_segments: async (payload) => {
        const key = payloadOf(payload).segment_key;
        await logged(env, "refresh_segments", payload, () => refreshSegments(pool, { segmentKey: typeof key === "string" ? key : undefined }));
      },
      segment_preview: async (payload) => {
        await runSegmentPreview(pool, payloadOf(payload).preview_id);
      },
      deliver_notifications: async () => {
        const r = await deliverNotifications(pool, adapters, { retryBaseSeconds: notify.retryBaseSeconds });
        if (r.sent + r.failed + r.skipped > 0) log.info(`notifications: ${JSON.stringify(r)}`);
      },
      deliver_webhooks: async () => {
        const r = await deliverWebhooks(pool, { retryBaseSeconds: notify.retryBaseSeconds });
        if (r.delivered + r.failed > 0) log.info(`webhooks: ${JSON.stringify(r)}`);
      },
      verify_rule_tests: async (payload) => {
        const p = payloadOf(payload);
        await verifyRuleTests(pool, p.rule_id, p.requested_by);
      },
      what_if: async (payload) => {
        const runId = payloadOf(payload).run_id;
        if (typeof runId === "string") await runWhatIfJob(pool, runId, { databaseUrl: options.databaseUrl, threads: options.whatIfThreads });
      },
    };

    for (const { kind, job } of RULE_KIND_MODULES) {
      if (job && !(job in taskList)) throw new Error(`rule kind ${kind} names engine job ${job}, which this engine does not run`);
    }

    const staleAfter = `${Math.max(1, options.staleAfterSeconds ?? 120)} seconds`;
    let sweeps = 0;
    /** Every minute the last day's transactions, at start and hourly all of them. */
    const sweep = async (full = sweeps++ % 60 === 0) => {
      const queued = Number((await pool.query(
        "select private.enqueue_unearned($1::interval, 100000, case when $2 then null else now() - interval '1 day' end) as n",
        [staleAfter, full])).rows[0].n);
      await pool.query(
        `select private.enqueue_job('what_if', json_build_object('run_id', r.id), 'what_if:' || r.id, 10, 3)
         from public.what_if_runs r
         where r.status = 'queued' and r.created_at < now() - interval '1 minute'
           and not exists (select 1 from graphile_worker._private_jobs j where j.key = 'what_if:' || r.id)`);
      if (queued) log.info(`sweep queued ${queued} earn job(s)`);
      return queued;
    };

    const runner = await run({
      pgPool: pool,
      concurrency,
      noHandleSignals: !options.handleSignals,
      taskList,
      crontab: options.crontab ?? DEFAULT_CRONTAB,
      logger: workerLogger(log, options.verbose ?? false),
      preset: {
        worker: {
          pollInterval: 1000,
          localQueue: { size: Math.max(2, concurrency * 2), ttl: 60_000 },
          completeJobBatchDelay: 5,
          failJobBatchDelay: 5,
        },
      },
    });
    runner.promise.catch((error) => log.error(`worker stopped: ${error.message}`));

    await sweep().catch((error) => log.error(`catch-up sweep failed: ${error.message}`));
    const interval = options.sweepIntervalMs ?? 60_000;
    const timer = interval > 0
      ? setInterval(() => sweep().catch((error) => log.error(`catch-up sweep failed: ${error.message}`)), interval)
      : undefined;
    timer?.unref();

    let stopped = false;
    return {
      runner,
      pool,
      sweep,
      earnStats: earner.stats,
      async stop() {
        if (stopped) return;
        stopped = true;
        if (timer) clearInterval(timer);
        await runner.stop().catch((error) => log.error(`stopping the worker: ${error.message}`));
        await sandbox?.stop();
        for (const adapter of new Set(Object.values(adapters))) await adapter?.close?.();
        await pool.end().catch(() => undefined);
      },
    };
  } catch (error) {
    await sandbox?.stop();
    await pool.end().catch(() => undefined);
    throw error;
  }
}
