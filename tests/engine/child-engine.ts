/**
 * An engine in a process of its own, for the crash test: started with DATABASE_URL, prints "ready" once
 * it runs, then works until it is killed.
 */
import { startEngine } from "../../engine/worker.ts";

const engine = await startEngine({
  databaseUrl: process.env.DATABASE_URL!,
  concurrency: Number(process.env.CONCURRENCY ?? 100),
  crontab: "",
  sweepIntervalMs: 0,
  log: (level, line) => {
    if (level === "error") console.error(line);
  },
});
process.stdout.write("ready\n");
process.on("SIGTERM", () => void engine.stop().then(() => process.exit(0)));
setInterval(() => {}, 1 << 30);
