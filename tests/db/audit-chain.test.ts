/**
 * The audit trail's hash chain: intact after the seed; parallel writers through the API keep it intact and
 * gap-free; a row changed by a superuser bypassing every trigger is reported by `npm run audit:verify` at
 * exactly that row (and a row removed, at the row after the gap).
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
  it("is intact after the seed, every row linked to the one before", async () => {
    const result = await auditVerify();
    expect(result.out).toContain("audit chain intact");
    expect(result.code).toBe(0);
    const { rows } = await db.query("select count(*)::int as n, max(chain_seq)::int as top, count(distinct chain_seq)::int as d from audit_log");
    expect(rows[0].top).toBe(rows[0].n);
    expect(rows[0].d).toBe(rows[0].n);
  });

  it("stays valid and gap-free under parallel writers", async () => {
    const before = (await db.query("select coalesce(max(chain_seq), 0)::int as s from audit_log")).rows[0].s;
    const { client } = await signedIn(demoEmail("staff"));
    const stamp = Date.now().toString().slice(-6);
    const writes = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        client.from("members").insert({ name: `链测试${i}`, phone: `166${stamp}${String(i).padStart(2, "0")}` }).select("id").single(),
      ),
    );
    // Direct connections too, each in its own transaction, at the same moment.
    const others = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const c = new pg.Client({ connectionString: databaseUrl() });
        await c.connect();
        try {
          await c.query("begin");
          await c.query("insert into audit_log (table_name, action, reason, after) values ('api_calls', 'EXPORT', 'chain-test', $1)", [{ i }]);
          await new Promise((r) => setTimeout(r, 20));
          await c.query(i % 3 === 0 ? "rollback" : "commit");
        } finally {
          await c.end();
        }
      }),
    );
    expect(others).toHaveLength(6);
    const made = writes.filter((w) => !w.error).length;
    expect(made).toBeGreaterThan(0);
    const { rows } = await db.query("select chain_seq::int from audit_log where chain_seq > $1 order by chain_seq", [before]);
    expect(rows.map((r) => r.chain_seq)).toEqual(Array.from({ length: rows.length }, (_, i) => before + 1 + i));
    expect(rows.length).toBeGreaterThanOrEqual(made + 4);
    const result = await auditVerify();
    expect(result.code).toBe(0);
    await db.query("select set_config('app.reason', 'test cleanup', false)");
    await db.query("delete from members where name like '链测试%'");
  });

  it("reports a row changed in the database, bypassing triggers, at exactly that row; and a removed row", async () => {
    const target = (await db.query("select id, chain_seq, reason from audit_log where table_name = 'members' order by chain_seq desc offset 3 limit 1")).rows[0];
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
      "select *, at::text as at_text, before::text as before_text, after::text as after_text from audit_log order by chain_seq desc offset 2 limit 1",
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
