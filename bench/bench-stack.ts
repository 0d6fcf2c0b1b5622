/**
 * The local stack (no app, no mail catcher) as the API benchmarks start it: a child process on its own ports (base
 * +1 gateway, +2 Postgres, +3 app, +4 PostgREST, +5 auth) with its own data folder; and a plain HTTP request helper.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import { ROOT } from "../stack/root.ts";

export const HOST = "127.0.0.1";

export interface BenchStack {
  child: ChildProcess;
  anonKey: string;
  /** Which gateway serves, as the stack says it ("nginx in front of the Node gateway", "Node only (…)"). */
  gateway: string;
  ports: { gateway: number; db: number; rest: number; auth: number };
  superuserUrl: string;
  /** Stops the stack; the data folder is removed unless keep. */
  stop(keep?: boolean): Promise<void>;
}

/** Starts the stack on base's ports; a fresh data folder unless reuse (and the folder exists). */
export function startBenchStack(base: number, dataDir: string, options: { reuse?: boolean } = {}): Promise<BenchStack> {
  if (!options.reuse) fs.rmSync(dataDir, { recursive: true, force: true });
  const ports = { gateway: base + 1, db: base + 2, rest: base + 4, auth: base + 5 };
  const child = spawn("npx", ["tsx", "stack/start.ts", "--no-app"], {
    cwd: ROOT,
    env: {
      ...process.env,
      GATEWAY_PORT: String(ports.gateway), DB_PORT: String(ports.db), APP_PORT: String(base + 3),
      REST_PORT: String(ports.rest), AUTH_PORT: String(ports.auth), DATA_DIR: dataDir,
      // No mail catcher: its ports would clash with a running `npm start`.
      MAIL_CATCHER: "false",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const stop = async (keep = false) => {
    if (child.pid && child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(-child.pid, "SIGTERM");
      await exited;
    }
    if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (data: Buffer) => {
      out += data.toString();
      const key = /anon key:\s+(\S+)/.exec(out);
      if (key) {
        child.stdout!.off("data", onData);
        resolve({
          child, anonKey: key[1], gateway: /gateway: (.+)/.exec(out)?.[1] ?? "unknown", ports,
          superuserUrl: `postgres://postgres:postgres@${HOST}:${ports.db}/postgres`, stop,
        });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (data: Buffer) => (out += data.toString()));
    child.once("exit", (code) => reject(new Error(`stack exited (${code}):\n${out.slice(-2000)}`)));
  });
}

export interface Answer {
  status: number;
  body: string;
}

/** One HTTP request to the stack, the answer's body as text. */
export function request(agent: http.Agent, port: number, method: string, urlPath: string, headers: Record<string, string>, body?: string) {
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request({ host: HOST, port, method, path: urlPath, headers, agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}
