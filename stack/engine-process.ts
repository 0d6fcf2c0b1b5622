/**
 * The rules engine as a child process of the stack (the same entry as `npm run engine`, engine/main.ts), so
 * the gateway, auth and app never share its heap. A child that dies is started again after a pause that
 * doubles with each quick death (1 s up to 30 s; back to 1 s once a child has run for a minute).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { ROOT } from "./config.ts";

const ENTRY = path.join(ROOT, "engine", "main.ts");
const READY = "rules engine running";
const FIRST_PAUSE_MS = 1000;
const MAX_PAUSE_MS = 30_000;
const HEALTHY_AFTER_MS = 60_000;
const STOP_GRACE_MS = 10_000;

export interface EngineProcessOptions {
  databaseUrl: string;
  /** More environment for the engine (e.g. the mail catcher's SMTP settings). */
  env?: Record<string, string>;
  log: (line: string) => void;
  /** Told each time the engine died and is about to be started again. */
  onRestart?: (message: string, pauseMs: number) => void;
  verbose?: boolean;
}

export interface EngineProcess {
  /** The running child's process id (changes when it is restarted). */
  readonly pid: number | undefined;
  /** How many times the engine was started again after dying. */
  readonly restarts: number;
  stop(): Promise<void>;
}

/** Starts the engine and resolves once it runs (rejects when the first start fails). */
export async function startEngineProcess(options: EngineProcessOptions): Promise<EngineProcess> {
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let pause = FIRST_PAUSE_MS;
  let timer: NodeJS.Timeout | undefined;

  const launch = () => new Promise<void>((resolve, reject) => {
    const startedAt = Date.now();
    const p = spawn(process.execPath, ["--import", "tsx", ENTRY, ...(options.verbose ? ["--verbose"] : [])], {
      cwd: ROOT,
      env: { ...process.env, ...options.env, DATABASE_URL: options.databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = p;
    let ready = false;
    const forward = (data: Buffer) => {
      for (const line of data.toString().split("\n").filter(Boolean)) {
        if (!ready && line.includes(READY)) {
          ready = true;
          resolve();
        }
        options.log(line);
      }
    };
    p.stdout!.on("data", forward);
    p.stderr!.on("data", forward);
    p.once("error", reject);
    p.once("exit", (code, signal) => {
      if (!ready) reject(new Error(`the rules engine exited before it ran (${signal ?? code})`));
      if (stopping) return;
      pause = Date.now() - startedAt > HEALTHY_AFTER_MS ? FIRST_PAUSE_MS : pause;
      const wait = pause;
      pause = Math.min(MAX_PAUSE_MS, pause * 2);
      options.onRestart?.(`rules engine exited (${signal ?? code}); starting it again in ${wait / 1000} s`, wait);
      timer = setTimeout(() => {
        restarts++;
        launch().catch((error: Error) => options.log(`restart failed: ${error.message}`));
      }, wait);
    });
  });

  await launch();
  return {
    get pid() {
      return child?.pid;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      const p = child;
      if (!p || p.exitCode !== null || p.signalCode !== null) return;
      const exited = new Promise((r) => p.once("exit", r));
      p.kill("SIGTERM");
      const killer = setTimeout(() => p.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(killer);
    },
  };
}
