/**
 * The what_if job: runs a public.what_if_runs row, writing only that row (status, progress, result).
 * The period is split into id ranges simulated in parallel by worker threads, each with its own connection
 * on the coordinator's exported snapshot (so every partition sees the same data); without worker threads
 * (e.g. where TypeScript cannot be loaded in a worker) it runs in this thread.
 */
import os from "node:os";
import { Worker } from "node:worker_threads";
import type pg from "pg";
import { WHAT_IF_HEAP_MB, WHAT_IF_TIMEOUT_MS } from "../core/enums/limits.ts";
import { countPeriod, idRanges, loadScenario, simulateWhatIf, WhatIfSimulation, type PartitionResult, type SimulateOptions, type WhatIfResult } from "./what-if.ts";

export interface ParallelOptions extends SimulateOptions {
  databaseUrl: string;
  /** Worker threads (default: the machine's CPUs, at most 4); each with a heap of heapMb. */
  threads?: number;
  /** Heap of each worker thread, MB (default WHAT_IF_HEAP_MB). */
  heapMb?: number;
  /** The run fails and its threads end after this many ms (default WHAT_IF_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** Failures of loading TypeScript in a worker thread (then the run goes on in this thread). */
const CANNOT_LOAD = /Cannot find|Unknown file extension|ERR_UNKNOWN_FILE_EXTENSION|ERR_MODULE_NOT_FOUND/;

/** A JavaScript entry that registers tsx in the worker thread, then loads what-if-worker.ts. */
const WORKER = new URL("./what-if-worker.mjs", import.meta.url);

export async function simulateWhatIfParallel(pool: pg.Pool, options: ParallelOptions): Promise<WhatIfResult> {
  const threads = Math.max(1, Math.min(options.threads ?? Math.min(4, os.availableParallelism()), 16));
  const heapMb = options.heapMb ?? WHAT_IF_HEAP_MB;
  const timeoutMs = options.timeoutMs ?? WHAT_IF_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const asOf = options.asOf ?? new Date();
  const client = await pool.connect();
  const workers: Worker[] = [];
  try {
    await client.query("begin isolation level repeatable read read only");
    const snapshot = (await client.query("select pg_export_snapshot() as s")).rows[0].s as string;
    await loadScenario(client, options.ruleKeys); // fails early on an invalid or missing draft
    const total = await countPeriod(client, options.days, asOf);
    let processed = 0;
    let lastReport = 0;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the what-if run took longer than ${timeoutMs / 1000} s and was stopped`)), timeoutMs);
    });
    const results = await Promise.race([deadline, Promise.all(idRanges(threads).map((range) => new Promise<PartitionResult>((resolve, reject) => {
      const worker = new Worker(WORKER, {
        resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: Math.min(64, heapMb / 4) },
        workerData: {
          databaseUrl: options.databaseUrl, snapshot, ruleKeys: [...options.ruleKeys], days: options.days,
          asOf: asOf.toISOString(), range, batchSize: options.batchSize,
        },
      });
      workers.push(worker);
      worker.on("message", (m: { type: string; count?: number; result?: PartitionResult; message?: string }) => {
        if (m.type === "rows") {
          processed += m.count!;
          if (options.onProgress && Date.now() - lastReport > 1000) {
            lastReport = Date.now();
            void Promise.resolve(options.onProgress(processed, total)).catch(() => undefined);
          }
        } else if (m.type === "done") resolve(m.result!);
        else if (m.type === "error") reject(new Error(m.message));
      });
      worker.once("error", (error: Error & { code?: string }) => reject(error.code === "ERR_WORKER_OUT_OF_MEMORY"
        ? new Error(`the what-if run needed more than ${heapMb} MB of memory and was stopped`)
        : error));
      worker.once("exit", (code) => code !== 0 && reject(new Error(`what-if worker exited with ${code}`)));
    })))]);
    await client.query("commit");
    const report = WhatIfSimulation.fromParts(asOf.getTime(), results.map((r) => r.part));
    const timing = { threads, prepare_ms: 0, wait_ms: 0, compute_ms: 0 };
    for (const r of results) {
      timing.prepare_ms = Math.max(timing.prepare_ms, r.timing.prepare_ms);
      timing.wait_ms += r.timing.wait_ms;
      timing.compute_ms += r.timing.compute_ms;
    }
    return { ...report, rules: results[0].rules, days: options.days, timing };
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
    client.release();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** The engine job: runs the what_if_runs row `runId`, writing only that row. */
export async function runWhatIfJob(pool: pg.Pool, runId: string, options: { databaseUrl: string; threads?: number }): Promise<void> {
  const { rows } = await pool.query(
    `update public.what_if_runs set status = 'running', started_at = now(), progress = 0, error = null
     where id = $1 and status in ('queued', 'running') returning rule_keys, days`,
    [runId],
  );
  if (!rows.length) return; // done, failed, or unknown: nothing to do
  const onProgress = (processed: number, total: number) =>
    pool.query("update public.what_if_runs set progress = $2 where id = $1 and status = 'running'", [
      runId, total ? Math.min(0.9999, processed / total).toFixed(4) : 0,
    ]).then(() => undefined);
  try {
    const run = { ruleKeys: rows[0].rule_keys as string[], days: rows[0].days as number, onProgress };
    let result: WhatIfResult;
    try {
      result = await simulateWhatIfParallel(pool, { ...run, databaseUrl: options.databaseUrl, threads: options.threads });
    } catch (error) {
      // Only where worker threads cannot load TypeScript: a run that failed in its threads fails.
      if (!CANNOT_LOAD.test((error as Error).message)) throw error;
      result = await simulateWhatIf(pool, run);
    }
    await pool.query(
      "update public.what_if_runs set status = 'done', progress = 1, result = $2, finished_at = now() where id = $1",
      [runId, JSON.stringify(result)],
    );
  } catch (error) {
    await pool.query("update public.what_if_runs set status = 'failed', error = $2, finished_at = now() where id = $1", [
      runId, (error as Error).message.slice(0, 2000),
    ]);
  }
}
