/**
 * The second fence around rule evaluation: batches (earning, tagging, reminders; see evaluation-tasks.ts)
 * are evaluated in a worker thread with a bounded heap and a deadline per batch. core/rules bounds each evaluation's time, memory and work; should a rule still
 * run away (a bug in a bound), the thread ends (out of memory, or terminated at the deadline), the batch
 * fails with an error naming the cause, and the engine carries on with a fresh thread. Requests run one at
 * a time; a batch's deadline is the per-item deadline times its size.
 */
import { Worker } from "node:worker_threads";
import { EVALUATION_HEAP_MB, EVALUATION_TIMEOUT_MS } from "../core/enums/limits.ts";
import type { EngineLog } from "./log.ts";
import type { EvaluationTask, TaskItem, TaskOutcome } from "./evaluation-tasks.ts";
import type { BookSource, LoadedBook } from "./store.ts";

export type SandboxRequest =
  | { type: "book"; source: BookSource }
  | { type: "evaluate"; id: number; task: EvaluationTask; items: unknown[] };

type SandboxReply = { id: number; outcomes?: unknown[]; error?: string };

export interface SandboxOptions {
  heapMb?: number;
  timeoutMs?: number;
}

const ENTRY = new URL("./evaluation-thread.mjs", import.meta.url);
/** Loading a thread (TypeScript through tsx) is not evaluation: it has a deadline of its own. */
const START_TIMEOUT_MS = 60_000;

export class EvaluationSandbox {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private generation: string | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private seq = 0;
  private readonly heapMb: number;
  private readonly timeoutMs: number;
  private stopped = false;

  constructor(private readonly log: EngineLog, options: SandboxOptions = {}) {
    this.heapMb = options.heapMb ?? EVALUATION_HEAP_MB;
    this.timeoutMs = options.timeoutMs ?? EVALUATION_TIMEOUT_MS;
  }

  /** Evaluates the items with `loaded`'s rules, in the thread; one outcome per item, in order. */
  evaluate<T extends EvaluationTask>(loaded: LoadedBook, task: T, items: TaskItem<T>[]): Promise<TaskOutcome<T>[]> {
    if (items.length === 0) return Promise.resolve([]);
    const run = this.tail.then(() => this.run(loaded, task, items) as Promise<TaskOutcome<T>[]>);
    this.tail = run.catch(() => undefined);
    return run;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private async thread(): Promise<Worker> {
    if (this.stopped) throw new Error("the evaluation thread is stopped");
    if (!this.worker) {
      this.worker = new Worker(ENTRY, {
        resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: Math.min(64, this.heapMb / 4) },
      });
      const worker = this.worker;
      worker.unref();
      // Between batches nobody else listens: an ended thread is only forgotten (the next batch starts another).
      worker.on("error", () => undefined);
      worker.once("exit", () => {
        if (this.worker === worker) this.worker = null;
      });
      this.generation = null;
      this.ready = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the evaluation thread did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
        const settle = (error?: Error) => {
          clearTimeout(timer);
          worker.off("message", onReady);
          if (error) reject(error);
          else resolve();
        };
        const onReady = (m: { type?: string }) => m?.type === "ready" && settle();
        worker.on("message", onReady);
        worker.once("error", (error) => settle(error));
        worker.once("exit", (code) => settle(new Error(`the evaluation thread exited while starting (${code})`)));
      });
    }
    const worker = this.worker;
    try {
      await this.ready;
    } catch (error) {
      if (this.worker === worker) this.worker = null;
      void worker.terminate();
      throw error;
    }
    return worker;
  }

  private async run(loaded: LoadedBook, task: EvaluationTask, items: unknown[]): Promise<unknown[]> {
    const worker = await this.thread();
    if (this.generation !== loaded.generation) {
      worker.postMessage({ type: "book", source: loaded.source } satisfies SandboxRequest);
      this.generation = loaded.generation;
    }
    const id = ++this.seq;
    return new Promise<unknown[]>((resolve, reject) => {
      const end = (cause: string) => {
        cleanup();
        if (this.worker === worker) this.worker = null;
        void worker.terminate();
        this.log.error(`evaluation thread ended: ${cause}; a new one takes over`);
        reject(new Error(`rule evaluation stopped: ${cause}`));
      };
      const deadlineMs = this.timeoutMs * items.length;
      const timer = setTimeout(() => end(`no answer within ${deadlineMs} ms`), deadlineMs);
      const onMessage = (m: SandboxReply) => {
        if (m.id !== id) return;
        cleanup();
        if (m.error !== undefined) reject(new Error(m.error));
        else resolve(m.outcomes!);
      };
      const onError = (error: Error & { code?: string }) =>
        end(error.code === "ERR_WORKER_OUT_OF_MEMORY" ? `out of memory (heap limit ${this.heapMb} MB)` : error.message);
      const onExit = (code: number) => end(`the thread exited (${code})`);
      const cleanup = () => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
      };
      worker.on("message", onMessage);
      worker.once("error", onError);
      worker.once("exit", onExit);
      worker.postMessage({ type: "evaluate", id, task, items } satisfies SandboxRequest);
    });
  }
}
