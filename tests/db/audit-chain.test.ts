/**
 * The audit trail's hash chain, sealed after commit: audited writes take no lock and are written unsealed
 * (eight open transactions each write an audited row, all before any commits, which the old head-row lock would
 * have blocked); parallel writers (some rolling back) then a seal give a gap-free chain, chain order being seal
 * order; parallel sealers never fork the chain or seal a row twice (one at a time, the others return 0 at once);
 * only the sealer may seal, and only truthfully; a sealed row changed by a superuser bypassing every trigger is
 * reported by `npm run audit:verify` at exactly that row (and a removed row, at the row after the gap).
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../stack/config.ts";
import { databaseUrl, demoEmail, signedIn, superuser } from "./stack-env.ts";

const run = promisify(execFile);
let db: pg.Client;

/** `npm run audit:verify` against the test database: its exit code and output. */
async function auditVerify() {
  try {
    const { stdout } = await run(path.join(ROOT, "node_modules", ".bin", "tsx"), [path.join(ROOT, "stack", "audit-verify.ts")], {
      env: { ...process.env, DATABASE_URL: databaseUrl() },
    });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, out: failed.stdout };
  }
}

/** A direct connection of its own. */
async function connection() {
  const c = new pg.Client({ connectionString: databaseUrl() });
  await c.connect();
  return c;
}

/** Fails with `what` instead of hanging when a statement waits on a lock. */
function within<T>(promise: Promise<T>, what: string, ms = 5000): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms))]);
}

async function seal(client: pg.Client = db): Promise<number> {
  return (await client.query("select private.seal_audit_chain() as n")).rows[0].n;
}

/** The chain positions after `from`, in order, and whether they run from + 1 without a gap. */
async function chainAfter(from: number) {
  const { rows } = await db.query("select id::int, chain_seq::int from audit_log where chain_seq > $1 order by chain_seq", [from]);
  return { rows, gapFree: rows.every((r, i) => r.chain_seq === from + 1 + i) };
}

const headSeq = async () => (await db.query("select coalesce(max(chain_seq), 0)::int as s from audit_log")).rows[0].s as number;

async function tamper(sql: string, params: unknown[]) {
  await db.query("begin");
  await db.query("set local session_replication_role = replica");
  await db.query(sql, params);
  await db.query("commit");
}

beforeAll(async () => {
  db = await superuser();
});

afterAll(async () => {
  await db.end();
});

describe("audit chain", () => {
  it("is intact after the seed, every row linked to the one before, none left unsealed", async () => {
    const result = await auditVerify();
    expect(result.out).toContain("audit chain intact");
    expect(result.out).toContain(" 0 still unsealed");
    expect(result.code).toBe(0);
    const { rows } = await db.query(
      "select count(*)::int as n, max(chain_seq)::int as top, count(distinct chain_seq)::int as d, count(*) filter (where chain_seq is null)::int as open from audit_log");
    expect(rows[0].open).toBe(0);
    expect(rows[0].top).toBe(rows[0].n);
    expect(rows[0].d).toBe(rows[0].n);
  });

  it("lets audited writes from 8 connections proceed without waiting on each other, unsealed until a seal", async () => {
    const stamp = Date.now().toString().slice(-6);
    const clients = await Promise.all(Array.from({ length: 8 }, () => connection()));
    try {
      for (const c of clients) await c.query("begin");
      // Every transaction writes an audited row (a member: its audit row comes from the trigger) and an audit row of
      // its own, and all of them finish while every transaction is still open. With a head row locked until commit,
      // the second transaction's write would wait for the first one's commit.
      const written = await within(
        Promise.all(clients.map(async (c, i) => {
          await c.query("insert into members (name, phone) values ($1, $2)", [`封链测试${i}`, `165${stamp}${String(i).padStart(2, "0")}`]);
          return (await c.query(
            "insert into audit_log (table_name, action, reason, after, chain_seq, prev_hash, row_hash) values ('api_calls', 'EXPORT', 'seal-test', $1, 1, '\\x00', '\\x00') returning id::int, chain_seq, row_hash",
            [{ i }])).rows[0];
        })),
        "audited writes in open transactions",
      );
      // Written unsealed, whatever the inserting code said.
      for (const row of written) expect(row).toMatchObject({ chain_seq: null, row_hash: null });
      const own = await clients[0].query("select count(*)::int as n from audit_log where table_name = 'members' and chain_seq is null and after ->> 'name' = '封链测试0'");
      expect(own.rows[0].n).toBe(1);
      await Promise.all(clients.map((c) => c.query("commit")));
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    const before = await headSeq();
    const sealed = await seal();
    expect(sealed).toBeGreaterThanOrEqual(16);
    const after = await chainAfter(before);
    expect(after.rows).toHaveLength(sealed);
    expect(after.gapFree).toBe(true);
    expect((await db.query("select count(*)::int as n from audit_log where chain_seq is null")).rows[0].n).toBe(0);
    const result = await auditVerify();
    expect(result.code).toBe(0);
    await db.query("select set_config('app.reason', 'test cleanup', false)");
    await db.query("delete from members where name like '封链测试%'");
  });

  it("gives a gap-free chain after parallel writers, some rolling back, and a seal; a late commit is sealed later", async () => {
    const before = await headSeq();
    const { client } = await signedIn(demoEmail("staff"));
    const stamp = Date.now().toString().slice(-6);
    // A transaction that writes first (lower id) and commits last.
    const late = await connection();
    await late.query("begin");
    const lateId = (await late.query(
      "insert into audit_log (table_name, action, reason, after) values ('api_calls', 'EXPORT', 'seal-late', '{}') returning id::int")).rows[0].id;
    const writes = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        client.from("members").insert({ name: `链测试${i}`, phone: `166${stamp}${String(i).padStart(2, "0")}` }).select("id").single(),
      ),
    );
    const rolledBack: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const c = await connection();
        try {
          await c.query("begin");
          const id = (await c.query("insert into audit_log (table_name, action, reason, after) values ('api_calls', 'EXPORT', 'chain-test', $1) returning id::int", [{ i }])).rows[0].id;
          await new Promise((r) => setTimeout(r, 20));
          if (i % 3 === 0) rolledBack.push(id);
          await c.query(i % 3 === 0 ? "rollback" : "commit");
        } finally {
          await c.end();
        }
      }),
    );
    const made = writes.filter((w) => !w.error).length;
    expect(made).toBe(24);
    const first = await seal();
    expect(first).toBeGreaterThanOrEqual(made + 4);
    let chain = await chainAfter(before);
    expect(chain.rows).toHaveLength(first);
    expect(chain.gapFree).toBe(true);
    const lastSealedId = Math.max(...chain.rows.map((r) => r.id));
    expect(lastSealedId).toBeGreaterThan(lateId);
    expect(chain.rows.map((r) => r.id)).not.toContain(lateId);
    expect((await db.query("select count(*)::int as n from audit_log where id = any($1)", [rolledBack])).rows[0].n).toBe(0);

    await late.query("commit");
    await late.end();
    expect(await seal()).toBeGreaterThanOrEqual(1);
    chain = await chainAfter(before);
    expect(chain.gapFree).toBe(true);
    const lateSeq = chain.rows.find((r) => r.id === lateId)!.chain_seq;
    // Chain order is seal order: the late row has a lower id but a higher chain position.
    expect(lateSeq).toBeGreaterThan(before + first);
    const result = await auditVerify();
    expect(result.code).toBe(0);
    expect(result.out).toContain(" 0 still unsealed");
    await db.query("select set_config('app.reason', 'test cleanup', false)");
    await db.query("delete from members where name like '链测试%'");
  });

  it("never forks the chain or seals a row twice with sealers in parallel: one at a time, the others return 0 at once", async () => {
    await seal();
    const before = await headSeq();
    const batch = "insert into audit_log (table_name, action, reason, after) select 'api_calls', 'EXPORT', 'seal-race', jsonb_build_object('i', g) from generate_series(1, 300) g";
    await db.query(batch);

    // A sealer holding its transaction open: another one returns 0 at once instead of waiting.
    const holder = await connection();
    const other = await connection();
    try {
      await holder.query("begin");
      expect(await seal(holder)).toBe(300);
      expect(await within(seal(other), "a second sealer")).toBe(0);
      await holder.query("commit");
      expect(await seal(other)).toBe(0);
    } finally {
      await holder.end();
      await other.end();
    }

    // Writers and eight sealers at once.
    const sealers = await Promise.all(Array.from({ length: 8 }, () => connection()));
    try {
      const results = await Promise.all([
        ...sealers.map(async (c) => {
          let n = 0;
          for (let k = 0; k < 5; k++) n += await seal(c);
          return n;
        }),
        db.query(batch).then(() => 0),
      ]);
      const rest = await seal();
      const total = results.reduce((a, b) => a + b, 0) + rest;
      expect(total).toBe(300);
    } finally {
      await Promise.all(sealers.map((c) => c.end()));
    }
    const chain = await chainAfter(before);
    expect(chain.rows).toHaveLength(600);
    expect(chain.gapFree).toBe(true);
    expect(new Set(chain.rows.map((r) => r.id)).size).toBe(600);
    expect((await auditVerify()).code).toBe(0);
  });

  it("lets only the sealer seal, and only truthfully: other roles and forged links are refused", async () => {
    const c = await connection();
    try {
      const id = (await c.query(
        "insert into audit_log (table_name, action, reason, after) values ('api_calls', 'EXPORT', 'seal-forge', '{}') returning id::int")).rows[0].id;
      for (const role of ["authenticated", "anon"]) {
        await c.query("begin");
        await c.query(`set local role ${role}`);
        await expect(c.query("select private.seal_audit_chain()")).rejects.toThrow(/permission denied/);
        await c.query("rollback");
      }
      // service_role may update audit_log by grant, but a seal it makes up is refused, even claiming to be the sealer.
      await c.query("begin");
      await c.query("set local role service_role");
      await c.query("select set_config('private.audit_sealing', 'on', true)");
      const head = (await c.query("select max(chain_seq)::int as s, (select row_hash from audit_log where chain_seq = (select max(chain_seq) from audit_log)) as h from audit_log")).rows[0];
      await expect(c.query("update audit_log set chain_seq = $2, prev_hash = $3, row_hash = '\\x00' where id = $1", [id, head.s + 1, head.h]))
        .rejects.toMatchObject({ hint: "append_only" });
      await c.query("rollback");
      await c.query("begin");
      await c.query("set local role service_role");
      await expect(c.query("update audit_log set reason = 'changed' where id = $1", [id])).rejects.toMatchObject({ hint: "append_only" });
      await c.query("rollback");
      await expect(c.query("select private.seal_audit_chain(0)")).rejects.toMatchObject({ hint: "invalid_batch" });
      // The service role (the engine) seals.
      await c.query("begin");
      await c.query("set local role service_role");
      expect((await c.query("select private.seal_audit_chain() as n")).rows[0].n).toBeGreaterThanOrEqual(1);
      await c.query("commit");
      expect((await db.query("select chain_seq from audit_log where id = $1", [id])).rows[0].chain_seq).not.toBeNull();
      // Sealed rows stay append-only, for the sealer too.
      await c.query("begin");
      await c.query("select set_config('private.audit_sealing', 'on', true)");
      await expect(c.query("update audit_log set chain_seq = chain_seq where id = $1", [id])).rejects.toMatchObject({ hint: "append_only" });
      await c.query("rollback");
    } finally {
      await c.end();
    }
    expect((await auditVerify()).code).toBe(0);
  });

  it("reports a row changed in the database, bypassing triggers, at exactly that row; and a removed row", async () => {
    const target = (await db.query("select id, chain_seq, reason from audit_log where table_name = 'members' and chain_seq is not null order by chain_seq desc offset 3 limit 1")).rows[0];
    await tamper("update audit_log set reason = 'tampered' where id = $1", [target.id]);
    try {
      const result = await auditVerify();
      expect(result.code).toBe(1);
      expect(result.out).toContain(`first broken link: id=${target.id} seq=${target.chain_seq} problem=content_changed`);
    } finally {
      await tamper("update audit_log set reason = $2 where id = $1", [target.id, target.reason]);
    }
    expect((await auditVerify()).code).toBe(0);

    // A removed row: the chain is broken at the row after it (restored afterwards from a copy).
    const removed = (await db.query(
      "select *, at::text as at_text, before::text as before_text, after::text as after_text from audit_log where chain_seq is not null order by chain_seq desc offset 2 limit 1",
    )).rows[0];
    const next = (await db.query("select id, chain_seq from audit_log where chain_seq = $1", [Number(removed.chain_seq) + 1])).rows[0];
    await tamper("delete from audit_log where id = $1", [removed.id]);
    try {
      const result = await auditVerify();
      expect(result.code).toBe(1);
      expect(result.out).toContain(`first broken link: id=${next.id} seq=${Number(removed.chain_seq)} problem=row_missing`);
    } finally {
      await tamper(
        `insert into audit_log (id, table_name, record_id, action, actor_id, actor_role, at, before, after, reason, api_key_id, chain_seq, prev_hash, row_hash)
         overriding system value values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [removed.id, removed.table_name, removed.record_id, removed.action, removed.actor_id, removed.actor_role, removed.at_text,
          removed.before_text, removed.after_text, removed.reason, removed.api_key_id, removed.chain_seq, removed.prev_hash, removed.row_hash],
      );
    }
    expect((await auditVerify()).code).toBe(0);
  });
});
