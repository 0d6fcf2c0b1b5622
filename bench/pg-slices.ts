/** What the pg benchmarks share: the load average to print beside figures, and timed slices of one operation. */
import os from "node:os";
import type pg from "pg";

export const loadavg = () => os.loadavg().map((x) => x.toFixed(2)).join(" ");

/** Accumulates slices of one variant at one concurrency. */
export class Tally {
  ok = 0;
  ms = 0;
  errors = 0;
  firstError?: string;
  lat: number[] = [];
  get tps() {
    return this.ms ? (this.ok / this.ms) * 1000 : NaN;
  }
  pct(p: number) {
    const sorted = Float64Array.from(this.lat).sort();
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN;
  }
}

/** Every client loops one op (one round trip each) until the deadline. */
export async function drive(clients: pg.Client[], ms: number, op: (client: number, seq: number) => pg.QueryConfig, into?: Tally) {
  const start = performance.now();
  const deadline = start + ms;
  await Promise.all(
    clients.map(async (c, ci) => {
      let seq = 0;
      while (performance.now() < deadline) {
        const q = op(ci, seq++);
        const t = performance.now();
        try {
          await c.query(q);
          if (into) {
            into.lat.push(performance.now() - t);
            into.ok++;
          }
        } catch (error) {
          if (into) {
            into.errors++;
            into.firstError ??= (error as Error).message;
          }
        }
      }
    }),
  );
  if (into) into.ms += performance.now() - start;
}
