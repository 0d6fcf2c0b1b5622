/**
 * Done means: a memory-bomb and a time-bomb rule published next to a normal earning rule. The gateway keeps
 * answering throughout (each probe within 1 s); the transactions earn by the normal rule; the bombs are
 * recorded in rule_errors and suspended; after the engine is killed and restarted nothing is evaluated
 * again and every transaction's points are there once. A what-if over a bombing draft fails with a clear
 * error and the engine keeps working.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULE_SUSPEND_AFTER_FAILURES } from "../../core/enums/limits.ts";
import { loopBomb, memoryBomb } from "../../core/rules/fixtures/hostile-rules.ts";
import { apiUrl, databaseUrl, demoEmail, keys, signedIn, superuser } from "../db/stack-env.ts";
import { insertTransaction, newMembers, publish, retireTestUnits, testUnit, uniqueName, waitEarned, waitFor } from "./helpers.ts";

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), "child-engine.ts");

let db: pg.Client;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await superuser();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  if (db) await retireTestUnits(db);
  await db?.end();
});

function startChild(): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", CHILD], {
      env: { ...process.env, DATABASE_URL: databaseUrl(), CONCURRENCY: "16" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(p);
    p.once("error", reject);
    p.once("exit", (code) => reject(new Error(`child engine exited early (${code})`)));
    p.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve(p);
    });
  });
}

/** A signed-in staff user reads through the gateway every 100 ms until stopped; returns how long each answer took (ms). */
async function probeGateway() {
  const times: number[] = [];
  const statuses = new Set<number>();
  let running = true;
  const { anonKey } = await keys();
  const { session } = await signedIn(demoEmail("staff"));
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const res = await fetch(`${apiUrl()}/rest/v1/tiers?select=code&limit=1`, {
        headers: { apikey: anonKey, authorization: `Bearer ${session.access_token}` },
      });
      await res.arrayBuffer();
      times.push(performance.now() - started);
      statuses.add(res.status);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return { times, statuses: [...statuses] };
  };
}

describe("hostile rules next to a normal one", () => {
  it("fail alone, are recorded and suspended; the gateway keeps answering; a restart loses and doubles nothing", async () => {
    const unit = await testUnit(db);
    const [member] = await newMembers(db, 1);
    const stopProbe = await probeGateway();
    await startChild();

    const normal = await publish(db, { key: uniqueName("normal"), unit, logic: { floor: [{ var: "transaction.amount" }] } });
    const memory = await publish(db, { key: uniqueName("membomb"), unit, logic: memoryBomb });
    const time = await publish(db, { key: uniqueName("timebomb"), unit, logic: loopBomb });
    const bombs = [memory.id, time.id];

    // One failure of each bomb per transaction: enough transactions to reach the suspension limit.
    const ids: string[] = [];
    for (let i = 0; i < RULE_SUSPEND_AFTER_FAILURES; i++) {
      const id = await insertTransaction(db, member, unit, 100 + i);
      ids.push(id);
      await waitEarned(db, [id], 60_000);
    }
    const { rows: earnings } = await db.query(
      "select transaction_id, outcome, points, rule_versions, rule_failures from transaction_earnings where transaction_id = any($1::uuid[])",
      [ids],
    );
    for (const e of earnings) {
      expect(e.outcome).toBe("earned");
      expect(e.points).toBe(100 + ids.indexOf(e.transaction_id));
      expect(e.rule_versions.map((r: { rule_id: string }) => r.rule_id)).toEqual([normal.id]);
      expect(e.rule_failures.map((f: { rule_id: string }) => f.rule_id).sort()).toEqual([...bombs].sort());
    }

    const errors = (await db.query(
      "select rule_id, stage, message, occurrences from rule_errors where rule_id = any($1::uuid[])", [bombs],
    )).rows;
    expect(errors.filter((e) => e.rule_id === memory.id)).toEqual([
      expect.objectContaining({ stage: "evaluate", message: expect.stringMatching(/evaluation limit reached: more than .* produced/) }),
    ]);
    expect(errors.filter((e) => e.rule_id === time.id)).toEqual([
      expect.objectContaining({ stage: "evaluate", message: expect.stringMatching(/evaluation limit reached: more than 100000 array elements visited/) }),
    ]);
    const suspended = (await db.query("select id, status, suspended_at, suspended_reason from rules where id = any($1::uuid[])", [bombs])).rows;
    for (const r of suspended) {
      expect(r.status).toBe("published");
      expect(r.suspended_at).not.toBeNull();
      expect(r.suspended_reason).toMatch(new RegExp(`^${RULE_SUSPEND_AFTER_FAILURES} failures within`));
    }

    // Suspended rules are skipped: the next transaction meets no failure.
    const after = await insertTransaction(db, member, unit, 7);
    expect((await waitEarned(db, [after])).get(after)).toMatchObject({ outcome: "earned", points: 7 });
    ids.push(after);
    expect((await db.query("select rule_failures from transaction_earnings where transaction_id = $1", [after])).rows[0].rule_failures).toEqual([]);

    // Killed and restarted, with a full catch-up sweep: nothing is evaluated again, nothing is lost.
    const before = (await db.query("select sum(occurrences)::int as n from rule_errors where rule_id = any($1::uuid[])", [bombs])).rows[0].n;
    children[0].removeAllListeners("exit");
    children[0].kill("SIGKILL");
    await startChild();
    await db.query("select private.enqueue_unearned('1 second', 100000, null)");
    const late = await insertTransaction(db, member, unit, 3);
    await waitEarned(db, [late]);
    ids.push(late);
    const { rows: once } = await db.query(
      `select t.id, (select count(*)::int from transaction_earnings e where e.transaction_id = t.id) as earnings,
              (select count(*)::int from ledger_entries l where l.transaction_id = t.id) as entries,
              (select coalesce(sum(l.points), 0)::int from ledger_entries l where l.transaction_id = t.id) as points
       from transactions t where t.id = any($1::uuid[])`,
      [ids],
    );
    expect(once.map((r) => [r.earnings, r.entries])).toEqual(ids.map(() => [1, 1]));
    expect(once.reduce((sum, r) => sum + r.points, 0)).toBe(100 + 101 + 102 + 7 + 3);
    expect((await db.query("select sum(occurrences)::int as n from rule_errors where rule_id = any($1::uuid[])", [bombs])).rows[0].n).toBe(before);

    const { times, statuses } = await stopProbe();
    expect(statuses).toEqual([200]);
    expect(times.length).toBeGreaterThan(10);
    expect(Math.max(...times)).toBeLessThan(1000);
  }, 180_000);

  it("a what-if over a bombing draft fails with a clear error and the engine keeps working", async () => {
    const unit = await testUnit(db);
    const [member] = await newMembers(db, 1);
    const key = uniqueName("wibomb");
    await publish(db, { key, unit, logic: { floor: [{ var: "transaction.amount" }] } });
    const child = await startChild();
    const first = await insertTransaction(db, member, unit, 40);
    await waitEarned(db, [first]);
    await db.query("insert into rules (key, version, kind, business_unit_id, name, logic) values ($1, 2, 'earning', $2, 'bomb', $3)", [
      key, unit, JSON.stringify(memoryBomb),
    ]);
    const run = (await db.query("insert into what_if_runs (rule_keys, days) values ($1, 1) returning id", [[key]])).rows[0].id;
    const done = await waitFor("the what-if run to end", async () => {
      const { rows } = await db.query("select status, error from what_if_runs where id = $1", [run]);
      return rows[0].status === "failed" || rows[0].status === "done" ? rows[0] : undefined;
    }, 120_000, 200);
    expect(done.status).toBe("failed");
    expect(done.error).toMatch(new RegExp(`rule ${key} version 2 exceeds the evaluation limits \\(memory\\)`));

    expect(child.exitCode).toBeNull();
    const next = await insertTransaction(db, member, unit, 12);
    expect((await waitEarned(db, [next])).get(next)).toMatchObject({ outcome: "earned", points: 12 });
  }, 180_000);

  it("a published rule that exceeds a bound does not end a what-if over another draft: it fails alone", async () => {
    const unit = await testUnit(db);
    const [member] = await newMembers(db, 1);
    const bomb = uniqueName("pubbomb");
    const draft = uniqueName("widraft");
    await publish(db, { key: bomb, unit, logic: memoryBomb });
    await publish(db, { key: draft, unit, logic: { floor: [{ var: "transaction.amount" }] } });
    await db.query("insert into rules (key, version, kind, business_unit_id, name, logic) values ($1, 2, 'earning', $2, 'double', $3)", [
      draft, unit, JSON.stringify({ "*": [2, { floor: [{ var: "transaction.amount" }] }] }),
    ]);
    await startChild();
    const txn = await insertTransaction(db, member, unit, 30);
    await waitEarned(db, [txn]);
    const run = (await db.query("insert into what_if_runs (rule_keys, days) values ($1, 1) returning id", [[draft]])).rows[0].id;
    const done = await waitFor("the what-if run to end", async () => {
      const { rows } = await db.query("select status, error from what_if_runs where id = $1", [run]);
      return rows[0].status === "failed" || rows[0].status === "done" ? rows[0] : undefined;
    }, 120_000, 200);
    expect(done).toEqual({ status: "done", error: null });
  }, 180_000);
});
