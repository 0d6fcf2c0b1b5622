/**
 * bcrypt in worker threads: bcryptjs is plain JavaScript, and a cost-10 hash run on the server's own
 * event loop holds every other request (reads included) for its whole duration. Jobs queue here and
 * run on a small pool of workers, one job per worker at a time.
 */
import { createRequire } from "node:module";
import os from "node:os";
import { Worker } from "node:worker_threads";

type Job = { op: "hash"; password: string; cost: number } | { op: "compare"; password: string; hash: string };
type Pending = { job: Job; resolve: (value: unknown) => void; reject: (error: Error) => void };

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const bcrypt = require(workerData.bcryptPath);
parentPort.on("message", async ({ id, job }) => {
  try {
    const value = job.op === "hash" ? await bcrypt.hash(job.password, job.cost) : await bcrypt.compare(job.password, job.hash);
    parentPort.postMessage({ id, value });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

export class HashPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly running = new Map<number, Pending & { worker: Worker }>();
  private nextId = 1;
  private readonly bcryptPath = createRequire(import.meta.url).resolve("bcryptjs");

  constructor(private readonly size = Math.max(1, Math.min(2, os.availableParallelism()))) {}

  hash(password: string, cost: number) {
    return this.run({ op: "hash", password, cost }) as Promise<string>;
  }

  compare(password: string, hash: string) {
    return this.run({ op: "compare", password, hash }) as Promise<boolean>;
  }

  async close() {
    const workers = this.all.splice(0);
    this.idle.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private run(job: Job) {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.queue.length) {
      const worker = this.idle.pop() ?? (this.all.length < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const pending = this.queue.shift()!;
      const id = this.nextId++;
      this.running.set(id, { ...pending, worker });
      worker.postMessage({ id, job: pending.job });
    }
  }

  private spawn() {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcryptPath: this.bcryptPath } });
    worker.unref();
    worker.on("message", ({ id, value, error }: { id: number; value?: unknown; error?: string }) => {
      const pending = this.running.get(id);
      this.running.delete(id);
      if (error !== undefined) pending?.reject(new Error(error));
      else pending?.resolve(value);
      this.idle.push(worker);
      this.pump();
    });
    worker.on("error", (error) => this.fail(worker, error));
    worker.on("exit", () => this.fail(worker, new Error("password worker exited")));
    this.all.push(worker);
    return worker;
  }

  private fail(worker: Worker, error: Error) {
    const index = this.all.indexOf(worker);
    if (index === -1) return;
    this.all.splice(index, 1);
    const idleAt = this.idle.indexOf(worker);
    if (idleAt !== -1) this.idle.splice(idleAt, 1);
    for (const [id, pending] of this.running) {
      if (pending.worker !== worker) continue;
      this.running.delete(id);
      pending.reject(error);
    }
    this.pump();
  }
}
