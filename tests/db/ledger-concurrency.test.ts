/**
 * The ledger under concurrency: parallel redemptions against one balance, one idempotency key posted
 * from many connections at once, and a seeded random workload of earn/redeem/reverse/expire/retry
 * operations in parallel lanes, with every invariant checked at each checkpoint (VOPR-style: the
 * test keeps its own model of every acknowledged posting and compares it with the database).
 * Reproduce a failure with LEDGER_SEED=<seed printed in the failure>; LEDGER_OPS sets the length.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invariantRows, ledgerHelpers } from "./ledger-fixtures.ts";
import { databaseUrl, superuser } from "./stack-env.ts";

let db: pg.Client;
let mall: string;
let hotel: string;
const { key, newMember, units } = ledgerHelpers("ledger-conc", () => db);

async function connect(n: number) {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const c = new pg.Client({ connectionString: databaseUrl() });
      await c.connect();
      return c;
    }),
  );
}

async function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: pg.DatabaseError }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error: error as pg.DatabaseError };
  }
}

/** balance = sum(entries) = sum(open lots) = last entry's balance_after >= 0; moves match entries and lots. */
async function invariantViolations(members: string[]) {
  const rows = await invariantRows(db, members);
  const bad = rows.filter(
    (r) => r.balance !== r.ledger || r.balance !== r.lots || r.balance !== r.last_after || Number(r.balance) < 0 ||
      r.bad_entries !== 0 || r.bad_lots !== 0 || r.bad_refs !== 0,
  );
  return { rows, bad };
}

beforeAll(async () => {
  db = await superuser();
  ({ mall, hotel } = await units());
});

afterAll(async () => {
  await db?.end();
});

describe("parallel redemptions", () => {
  it("50 connections redeeming more than the balance at once: never below zero, no point lost, FIFO kept", async () => {
    const m = await newMember();
    const day = 86_400_000;
    let earned = 0;
    for (let i = 0; i < 10; i++) {
      const pts = 60 + i * 8; // 60..132, 960 in all
      earned += pts;
      await db.query("select earn_points($1, $2, $3, $4, p_expires_at => $5)", [
        m, i % 2 ? mall : hotel, pts, key(), new Date(Date.now() + (30 - i) * day),
      ]);
    }
    const clients = await connect(50);
    try {
      const asks = clients.map((_, i) => 20 + ((i * 37) % 41)); // 20..60 each, about 2,000 in all
      expect(asks.reduce((a, b) => a + b, 0)).toBeGreaterThan(earned);
      const results = await Promise.all(
        clients.map((c, i) =>
          settle(c.query("select redeem_points($1, $2, $3, $4) as r", [m, i % 2 ? mall : hotel, asks[i], key("par")])),
        ),
      );
      let redeemed = 0;
      for (const [i, r] of results.entries()) {
        if (r.ok) {
          redeemed += asks[i];
          expect(r.value.rows[0].r.balance).toBeGreaterThanOrEqual(0);
        } else {
          expect(r.error.code).toBe("P0001");
          expect(r.error.message).toMatch(/^insufficient points: balance \d+, requested \d+$/);
        }
      }
      const { rows } = await db.query("select balance::int from point_balances where member_id = $1", [m]);
      expect(redeemed + rows[0].balance).toBe(earned);
      expect(rows[0].balance).toBeLessThan(20 + 41); // the remainder is smaller than some refused ask
      const sums = await db.query(
        "select coalesce(-sum(points), 0)::int as redeemed, count(*)::int as n from ledger_entries where member_id = $1 and kind = 'redeem'",
        [m],
      );
      expect(sums.rows[0]).toEqual({ redeemed, n: results.filter((r) => r.ok).length });
      // FIFO under concurrency: consumed lots form a prefix in (expires_at, earned_at, id) order.
      const lots = await db.query(
        "select original_points, remaining_points from point_lots where member_id = $1 order by expires_at, earned_at, id",
        [m],
      );
      const state = lots.rows.map((l) => (l.remaining_points === 0 ? "empty" : l.remaining_points < l.original_points ? "partial" : "full"));
      const firstOpen = state.findIndex((s) => s !== "empty");
      if (firstOpen >= 0) expect(state.slice(firstOpen + 1).every((s) => s === "full"), state.join(",")).toBe(true);
      const check = await invariantViolations([m]);
      expect(check.bad).toEqual([]);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});

describe("one idempotency key from many connections", () => {
  it("20 parallel earns with the same key post once and all get the same answer", async () => {
    const m = await newMember();
    const k = key("same");
    const clients = await connect(20);
    try {
      const results = await Promise.all(
        clients.map((c) => c.query("select earn_points($1, $2, 75, $3) as r", [m, mall, k]).then((r) => r.rows[0].r)),
      );
      expect(new Set(results.map((r) => r.entry_id)).size).toBe(1);
      expect(results.filter((r) => !r.duplicate).length).toBe(1);
      const { rows } = await db.query(
        "select (select count(*) from ledger_entries where idempotency_key = $2)::int as n, (select balance from point_balances where member_id = $1)::int as balance",
        [m, k],
      );
      expect(rows[0]).toEqual({ n: 1, balance: 75 });

      const rk = key("same-redeem");
      const redeems = await Promise.all(
        clients.map((c) => c.query("select redeem_points($1, $2, 30, $3) as r", [m, mall, rk]).then((r) => r.rows[0].r)),
      );
      expect(new Set(redeems.map((r) => r.entry_id)).size).toBe(1);
      expect(redeems.filter((r) => !r.duplicate).length).toBe(1);
      expect((await db.query("select balance::int from point_balances where member_id = $1", [m])).rows[0].balance).toBe(45);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it("the same key for 20 different members at once: exactly one posts, the others are refused", async () => {
    const members: string[] = [];
    for (let i = 0; i < 20; i++) members.push(await newMember());
    const k = key("cross");
    const clients = await connect(20);
    try {
      const results = await Promise.all(
        clients.map((c, i) => settle(c.query("select earn_points($1, $2, 10, $3) as r", [members[i], mall, k]))),
      );
      expect(results.filter((r) => r.ok).length).toBe(1);
      for (const r of results) if (!r.ok) expect(r.error.code).toBe("23505");
      const { rows } = await db.query("select count(*)::int as n from ledger_entries where idempotency_key = $1", [k]);
      expect(rows[0].n).toBe(1);
      expect((await invariantViolations(members)).bad).toEqual([]);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});

/** mulberry32: small, fast, seedable. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("seeded random workload", () => {
  const SEED = Number(process.env.LEDGER_SEED ?? 20261102);
  const OPS = Number(process.env.LEDGER_OPS ?? 10_000);
  const LANES = 4;
  const MEMBERS = 6;
  const CHECK_EVERY = 500;

  it(`${OPS} earn/redeem/reverse/expire/retry operations in ${LANES} lanes keep every invariant (seed ${SEED})`, { timeout: 600_000 }, async () => {
    const members: string[] = [];
    for (let i = 0; i < MEMBERS; i++) members.push(await newMember());
    const units = [mall, hotel];
    const spenders = members.slice(0, MEMBERS - 2);
    const lanes = await connect(LANES);
    // The model: what the callers were told (acknowledged, non-duplicate postings), per member.
    const acked = new Map(members.map((m) => [m, 0]));
    const reversible: { id: number; member: string }[] = [];
    const posted: { sql: string; params: unknown[]; entry: number }[] = [];
    const tally: Record<string, number> = {};
    const unexpected: string[] = [];
    const count = (what: string) => (tally[what] = (tally[what] ?? 0) + 1);

    async function step(c: pg.Client, rnd: () => number) {
      const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
      const member = pick(members);
      const unit = pick(units);
      const roll = rnd();
      let sql: string;
      let params: unknown[] = [];
      let kind: string;
      if (roll < 0.36) {
        kind = "earn";
        const short = rnd() < 0.3; // short-lived lots expire while the run goes on
        const expires = short ? new Date(Date.now() + 100 + Math.floor(rnd() * 1500)) : null;
        const lotKind = pick(["shopping", "campaign", "birthday", "compensation"]);
        sql = "select earn_points($1, $2, $3, $4, p_kind => $5, p_expires_at => $6) as r";
        params = [member, unit, 1 + Math.floor(rnd() * 300), key("e"), lotKind, expires];
      } else if (roll < 0.7) {
        kind = "redeem";
        // the last two members only save, so their short-lived lots live to expire
        sql = "select redeem_points($1, $2, $3, $4) as r";
        params = [pick(spenders), unit, 1 + Math.floor(rnd() * 350), key("r")];
      } else if (roll < 0.8 && reversible.length) {
        kind = "reverse";
        const target = reversible[Math.floor(rnd() * reversible.length)];
        sql = "select reverse_entry($1, $2, $3) as r";
        params = [target.id, key("v"), "随机冲正"];
      } else if (roll < 0.85) {
        kind = "expire";
        sql = "select expire_due_lots() as n";
      } else if (roll < 0.97 && posted.length) {
        const p = posted[Math.floor(rnd() * posted.length)];
        const r = await settle(c.query(p.sql, p.params));
        if (!r.ok) unexpected.push(`retry: ${r.error.code} ${r.error.message}`);
        else if (!r.value.rows[0].r.duplicate || r.value.rows[0].r.entry_id !== p.entry) unexpected.push(`retry posted again: ${JSON.stringify(r.value.rows[0].r)}`);
        count("retry");
        return;
      } else {
        kind = "shortfall";
        sql = "select redeem_points($1, $2, $3, $4) as r";
        params = [member, unit, 2_000_000_000, key("s")];
      }
      const r = await settle(c.query(sql, params));
      if (!r.ok) {
        const e = r.error;
        const expected =
          ((kind === "redeem" || kind === "shortfall") && e.code === "P0001" && /^insufficient points/.test(e.message)) ||
          (kind === "reverse" && e.code === "23505" && /already reversed/.test(e.message)) ||
          (kind === "reverse" && e.code === "P0001" && /nothing left to reverse/.test(e.message));
        if (!expected) unexpected.push(`${kind}: ${e.code} ${e.message}`);
        count(`${kind} refused`);
        return;
      }
      count(kind);
      if (kind === "expire") return;
      const out = r.value.rows[0].r;
      if (out.duplicate) unexpected.push(`${kind} with a fresh key reported duplicate`);
      if (kind === "earn") {
        acked.set(member, acked.get(member)! + (params[2] as number));
        reversible.push({ id: out.entry_id, member });
      } else if (kind === "redeem") {
        acked.set(params[0] as string, acked.get(params[0] as string)! - (params[2] as number));
        reversible.push({ id: out.entry_id, member: params[0] as string });
        const got = (out.lots as { points: number }[]).reduce((a, l) => a + l.points, 0);
        if (got !== params[2]) unexpected.push(`redeem lots sum ${got} <> ${params[2]}`);
      } else if (kind === "reverse") {
        const owner = reversible.find((x) => x.id === params[0])!.member;
        acked.set(owner, acked.get(owner)! + out.points);
      }
      posted.push({ sql, params, entry: out.entry_id });
    }

    try {
      const rngs = lanes.map((_, i) => prng(SEED * 31 + i));
      const perLane = Math.ceil(CHECK_EVERY / LANES);
      let checkMs = 0;
      const started = performance.now();
      for (let done = 0, checkpoint = 1; done < OPS; done += perLane * LANES, checkpoint++) {
        await Promise.all(
          lanes.map(async (c, i) => {
            for (let j = 0; j < perLane && done + j * LANES + i < OPS; j++) await step(c, rngs[i]);
          }),
        );
        const t0 = performance.now();
        const ctx = `seed ${SEED}, checkpoint ${checkpoint} after ~${Math.min(OPS, done + perLane * LANES)} ops`;
        expect(unexpected, ctx).toEqual([]);
        const { rows, bad } = await invariantViolations(members);
        expect(bad, ctx).toEqual([]);
        // No point lost or invented: the database equals what callers were told, minus what expired.
        for (const r of rows) expect(Number(r.balance), `${ctx}, member ${r.member_id}`).toBe(acked.get(r.member_id)! - Number(r.expired));
        checkMs += performance.now() - t0;
      }
      const keys = await db.query(
        "select count(*)::int as n, count(distinct idempotency_key)::int as d from ledger_entries where member_id = any($1) and idempotency_key is not null",
        [members],
      );
      expect(keys.rows[0].n).toBe(keys.rows[0].d);
      expect(tally.earn).toBeGreaterThan(OPS * 0.2);
      expect(tally.redeem).toBeGreaterThan(OPS * 0.1);
      expect(tally.reverse ?? 0).toBeGreaterThan(0);
      expect(tally.retry ?? 0).toBeGreaterThan(0);
      const expired = await db.query("select count(*)::int as n from ledger_entries where member_id = any($1) and kind = 'expire'", [members]);
      expect(expired.rows[0].n).toBeGreaterThan(0);
      console.log(
        `ledger workload seed ${SEED}: ${JSON.stringify(tally)}, expire entries ${expired.rows[0].n}, ` +
          `${Math.round(performance.now() - started)} ms (checks ${Math.round(checkMs)} ms)`,
      );
    } finally {
      await Promise.all(lanes.map((c) => c.end()));
    }
  });
});
