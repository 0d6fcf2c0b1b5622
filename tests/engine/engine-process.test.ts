/**
 * The stack's engine runs as a child process: a child that dies is started again, and stop() ends it.
 */
import { describe, expect, it } from "vitest";
import { startEngineProcess } from "../../stack/engine-process.ts";
import { databaseUrl } from "../db/stack-env.ts";
import { waitFor } from "./helpers.ts";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("the engine process of the stack", () => {
  it("is started again after it dies, and stopped on request", async () => {
    const restarts: string[] = [];
    const engine = await startEngineProcess({ databaseUrl: databaseUrl(), log: () => {}, onRestart: (message) => restarts.push(message) });
    try {
      const first = engine.pid!;
      expect(alive(first)).toBe(true);
      process.kill(first, "SIGKILL");
      await waitFor("the engine to be started again", async () => engine.restarts === 1 && engine.pid !== first, 60_000, 100);
      expect(restarts).toEqual(["rules engine exited (SIGKILL); starting it again in 1 s"]);
      // it runs: it is ready once it printed its line, which resolved the restart
      await waitFor("the new engine to run", async () => alive(engine.pid!), 10_000);
    } finally {
      const last = engine.pid!;
      await engine.stop();
      expect(alive(last)).toBe(false);
    }
  }, 120_000);
});
