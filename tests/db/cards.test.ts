/**
 * Stored-value cards against the real database: issue, recharge (single and bulk), consume, refund, freeze,
 * loss, replacement; the balance in fen never below zero and always the sum of the card ledger; idempotency
 * per caller; caps and roles; parallel consumptions beyond the balance; bad input refused, nothing changed.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CARD_LIMITS, CARD_STATUSES, CARD_TYPES, PAYMENT_CHANNELS } from "../../core/enums/index.ts";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { databaseUrl, signedIn, superuser } from "./stack-env.ts";

let db: pg.Client;
let mall: string;
let hotel: string;
const users: Record<string, string> = {};
const { key, newMember, units } = ledgerHelpers("cards", () => db);

type Result = { ok: true; value: Record<string, unknown> } | { ok: false; error: pg.DatabaseError };

/** One function call as a demo user or the system (the way PostgREST runs it), committed when it succeeds. */
async function callAs(client: pg.Client, email: string, sql: string, params: unknown[]): Promise<Result> {
  await client.query("begin");
  try {
    const claims = email === SYSTEM ? { role: SYSTEM } : { sub: users[email], role: "authenticated", email };
    await client.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
    await client.query(`set local role ${email === SYSTEM ? SYSTEM : "authenticated"}`);
    const { rows } = await client.query(sql, params);
    await client.query("commit");
    return { ok: true, value: rows[0].r };
  } catch (error) {
    await client.query("rollback");
    return { ok: false, error: error as pg.DatabaseError };
  }
}
const as = (email: string, sql: string, params: unknown[]) => callAs(db, email, sql, params);
/** The service role: the engine and integrations, the only direct recharger (staff request recharges for approval). */
const SYSTEM = "service_role";
const STAFF = "staff@demo.test"; // mall staff
const HOTEL_STAFF = "hotel.staff@demo.test";
const MALL_MANAGER = "mall.manager@demo.test";

async function ok(r: Promise<Result>) {
  const x = await r;
  if (!x.ok) throw new Error(`expected success, got ${x.error.hint ?? x.error.code}: ${x.error.message}`);
  return x.value as Record<string, unknown> & { balance_fen: number; entry_id: number; card_id: string; duplicate: boolean };
}
async function refused(r: Promise<Result>) {
  const x = await r;
  if (x.ok) throw new Error(`expected a refusal, got ${JSON.stringify(x.value)}`);
  return x.error;
}

const issue = (who = STAFF, extra: { no?: string; member?: string; unit?: string; type?: string } = {}, k = key("issue")) =>
  as(who, "select issue_card($1, $2, $3, $4, $5) as r", [extra.unit ?? mall, extra.type ?? "gold", k, extra.no ?? null, extra.member ?? null]);
const recharge = (card: string, fen: number, who = SYSTEM, k = key("recharge"), unit = mall, channel = "wechat") =>
  as(who, "select recharge_card($1, $2, $3, $4, $5) as r", [card, unit, fen, channel, k]);
const consume = (card: string, fen: number, who = STAFF, k = key("consume"), unit = mall) =>
  as(who, "select consume_card($1, $2, $3, $4) as r", [card, unit, fen, k]);
const refund = (entry: number, fen: number, who = STAFF, k = key("refund")) =>
  as(who, "select refund_card_consumption($1, $2, $3) as r", [entry, fen, k]);
const setStatus = (card: string, action: string, who = STAFF, reason: string | null = "测试") =>
  as(who, "select set_card_status($1, $2, $3) as r", [card, action, reason]);

async function card(id: string) {
  const { rows } = await db.query("select * from stored_value_cards where id = $1", [id]);
  return rows[0];
}
/** balance = sum(ledger) = last balance_after >= 0, and the ledger rows. */
async function checkCard(id: string) {
  const { rows } = await db.query(
    `select c.balance_fen::bigint as balance,
            (select coalesce(sum(amount_fen), 0) from card_ledger e where e.card_id = c.id)::bigint as ledger,
            (select balance_after from card_ledger e where e.card_id = c.id order by id desc limit 1)::bigint as last
     from stored_value_cards c where c.id = $1`, [id]);
  expect(rows[0].balance).toBe(rows[0].ledger);
  expect(rows[0].balance).toBe(rows[0].last);
  expect(Number(rows[0].balance)).toBeGreaterThanOrEqual(0);
  return Number(rows[0].balance);
}
async function ledgerCount(id: string) {
  return Number((await db.query("select count(*) from card_ledger where card_id = $1", [id])).rows[0].count);
}

beforeAll(async () => {
  db = await superuser();
  ({ mall, hotel } = await units());
  const { rows } = await db.query("select user_id, email from staff_profiles");
  for (const r of rows) users[r.email] = r.user_id;
});
afterAll(async () => {
  await db?.end();
});

describe("registry", () => {
  it("card types, statuses, channels and limits in the database are those of core/enums", async () => {
    const types = (await db.query("select code from card_types order by position")).rows.map((r) => r.code);
    expect(types).toEqual([...CARD_TYPES]);
    const statuses = (await db.query("select unnest(enum_range(null::card_status))::text as s")).rows.map((r) => r.s);
    expect(statuses).toEqual([...CARD_STATUSES]);
    const limits = (await db.query("select private.card_limits() as l")).rows[0].l;
    expect(limits).toEqual(CARD_LIMITS);
    for (const channel of [...PAYMENT_CHANNELS, "bitcoin"]) {
      const c = (await ok(issue())).card_id as string;
      const r = await recharge(c, 100, SYSTEM, key(), mall, channel);
      expect(r.ok ? "ok" : r.error.hint).toBe(channel === "bitcoin" ? "card_channel_unknown" : "ok");
    }
  });
});

describe("a card's life", () => {
  it("issue, recharge, consume, refund: balance in fen is the ledger's sum, every row has its staff and audit", async () => {
    const member = await newMember();
    const issued = await ok(issue(STAFF, { member }));
    const id = issued.card_id as string;
    expect(issued.card_no).toMatch(/^SV\d+$/);
    expect((await ok(recharge(id, 10_000))).balance_fen).toBe(10_000);
    const spent = await ok(consume(id, 2_550));
    expect(spent.balance_fen).toBe(7_450);
    // The hotel's staff consume the same card at their own unit.
    expect((await ok(consume(id, 450, HOTEL_STAFF, key(), hotel))).balance_fen).toBe(7_000);
    expect((await ok(refund(spent.entry_id, 550))).balance_fen).toBe(7_550);
    expect((await refused(refund(spent.entry_id, 2_001))).hint).toBe("card_refund_over_consumption");
    expect((await ok(refund(spent.entry_id, 2_000))).balance_fen).toBe(9_550);
    expect((await refused(refund(spent.entry_id, 1))).hint).toBe("card_refund_over_consumption");
    expect(await checkCard(id)).toBe(9_550);

    const { rows } = await db.query("select kind, amount_fen::int, operator_id, business_unit_id, channel from card_ledger where card_id = $1 order by id", [id]);
    expect(rows.map((r) => [r.kind, r.amount_fen])).toEqual([
      ["issue", 0], ["recharge", 10_000], ["consume", -2_550], ["consume", -450], ["refund", 550], ["refund", 2_000],
    ]);
    // Staff operations carry the staff member; this recharge was posted by the system (approved ones carry the requester).
    expect(rows.filter((r) => r.kind !== "recharge").every((r) => r.operator_id)).toBe(true);
    expect(rows[3].operator_id).toBe(users[HOTEL_STAFF]);
    expect(rows[3].business_unit_id).toBe(hotel);
    expect(rows[1].channel).toBe("wechat");
    const audit = await db.query(
      "select count(*)::int as n, count(actor_id)::int as by_staff from audit_log where table_name = 'card_ledger' and record_id = any($1)",
      [(await db.query("select id::text from card_ledger where card_id = $1", [id])).rows.map((r) => r.id)]);
    // Every entry is audited; all but the system's recharge name the staff member who made them.
    expect(audit.rows[0]).toEqual({ n: 6, by_staff: 5 });
    const cardAudit = await db.query("select reason from audit_log where table_name = 'stored_value_cards' and record_id = $1 order by id", [id]);
    expect(cardAudit.rows.map((r) => r.reason)).toContain("card-consume");
  });

  it("the ledger is append-only and cards are never deleted", async () => {
    const id = (await ok(issue())).card_id as string;
    await expect(db.query("update card_ledger set amount_fen = 5 where card_id = $1", [id])).rejects.toMatchObject({ hint: "append_only" });
    await expect(db.query("delete from card_ledger where card_id = $1", [id])).rejects.toMatchObject({ hint: "append_only" });
    await expect(db.query("delete from stored_value_cards where id = $1", [id])).rejects.toMatchObject({ hint: "append_only" });
  });

  it("staff cannot write cards or the ledger directly", async () => {
    const id = (await ok(issue())).card_id as string;
    const r = await as(STAFF, "update stored_value_cards set balance_fen = 999999 where id = $1 returning 1 as r", [id]);
    expect(r.ok ? "changed" : r.error.code).toBe("42501");
    const i = await as(STAFF, "insert into card_ledger (card_id, kind, amount_fen, balance_after, business_unit_id, idempotency_key) values ($1, 'recharge', 5, 5, $2, 'x') returning 1 as r", [id, mall]);
    expect(i.ok ? "inserted" : i.error.code).toBe("42501");
    expect(await checkCard(id)).toBe(0);
  });
});

describe("status", () => {
  it("a lost card refuses use with the reason; cancelling the report gives it back", async () => {
    const id = (await ok(issue())).card_id as string;
    await ok(recharge(id, 5_000));
    await ok(setStatus(id, "report_loss", STAFF, "顾客来电挂失"));
    const e = await refused(consume(id, 100));
    expect(e.hint).toBe("card_lost");
    expect(JSON.parse(e.detail!)).toMatchObject({ status: "lost", reason: "顾客来电挂失" });
    expect((await refused(recharge(id, 100))).hint).toBe("card_lost");
    expect(await checkCard(id)).toBe(5_000);
    expect((await refused(setStatus(id, "unfreeze"))).hint).toBe("card_status_transition");
    await ok(setStatus(id, "cancel_loss"));
    expect((await ok(consume(id, 100))).balance_fen).toBe(4_900);
  });

  it("a frozen card refuses use until unfrozen; only the issuing unit changes status; a reason is required", async () => {
    const id = (await ok(issue())).card_id as string;
    await ok(recharge(id, 1_000));
    expect((await refused(setStatus(id, "freeze", STAFF, " "))).hint).toBe("reason_required");
    expect((await refused(setStatus(id, "freeze", HOTEL_STAFF))).hint).toBe("unit_role_required");
    expect((await refused(setStatus(id, "melt"))).hint).toBe("card_action_unknown");
    await ok(setStatus(id, "freeze"));
    expect((await ok(setStatus(id, "freeze"))).changed).toBe(false);
    expect((await refused(consume(id, 1))).hint).toBe("card_frozen");
    await ok(setStatus(id, "unfreeze"));
    expect((await ok(consume(id, 1))).balance_fen).toBe(999);
    const audit = await db.query("select reason from audit_log where table_name = 'stored_value_cards' and record_id = $1 and reason = '测试' and after->>'status' = 'frozen'", [id]);
    expect(audit.rows).toHaveLength(1);
  });

  it("cancelling needs a manager and a zero balance", async () => {
    const id = (await ok(issue())).card_id as string;
    await ok(recharge(id, 300));
    expect((await refused(setStatus(id, "cancel"))).hint).toBe("card_cancel_needs_manager");
    expect((await refused(setStatus(id, "cancel", MALL_MANAGER))).hint).toBe("card_balance_not_zero");
    await ok(consume(id, 300));
    await ok(setStatus(id, "cancel", MALL_MANAGER));
    expect((await refused(recharge(id, 1))).hint).toBe("card_cancelled");
  });
});

describe("replacement", () => {
  it("a lost card is replaced by a new one carrying its exact balance; the old one becomes replaced", async () => {
    const member = await newMember();
    const old = (await ok(issue(STAFF, { member, type: "vip" }))).card_id as string;
    await ok(recharge(old, 123_457));
    await ok(consume(old, 3_001));
    await ok(setStatus(old, "report_loss"));
    const k = key("replace");
    const r = await ok(as(STAFF, "select replace_card($1, $2, $3) as r", [old, k, "挂失补卡"]));
    const fresh = r.card_id as string;
    expect(r.balance_fen).toBe(120_456);
    const [o, n] = [await card(old), await card(fresh)];
    expect(o.status).toBe("replaced");
    expect(o.replaced_by_card_id).toBe(fresh);
    expect(Number(o.balance_fen)).toBe(0);
    expect(n).toMatchObject({ status: "active", type_code: "vip", member_id: member, replaces_card_id: old, issuing_unit_id: mall });
    expect(await checkCard(old)).toBe(0);
    expect(await checkCard(fresh)).toBe(120_456);
    // A retry answers the same new card; the old one refuses use.
    const again = await ok(as(STAFF, "select replace_card($1, $2, $3) as r", [old, k, "挂失补卡"]));
    expect(again).toMatchObject({ card_id: fresh, duplicate: true });
    expect((await refused(consume(old, 1))).hint).toBe("card_replaced");
    expect((await refused(as(STAFF, "select replace_card($1, $2, $3) as r", [old, key(), "再补"]))).hint).toBe("card_status_transition");
    expect((await ok(consume(fresh, 456))).balance_fen).toBe(120_000);
  });

  it("a replacement to a number already issued is refused and changes nothing", async () => {
    const a = await ok(issue());
    const b = (await ok(issue())).card_id as string;
    await ok(recharge(b, 700));
    expect((await refused(as(STAFF, "select replace_card($1, $2, $3, $4) as r", [b, key(), "换卡", a.card_no]))).hint).toBe("card_no_taken");
    expect((await card(b)).status).toBe("active");
    expect(await checkCard(b)).toBe(700);
    expect(await ledgerCount(b)).toBe(2);
  });
});

describe("idempotency per caller", () => {
  it("a retry posts once; other parameters are refused; another caller's same key is their own", async () => {
    const id = (await ok(issue())).card_id as string;
    await ok(recharge(id, 10_000));
    const k = key("same");
    const first = await ok(consume(id, 1_000, STAFF, k));
    const retry = await ok(consume(id, 1_000, STAFF, k));
    expect(retry).toMatchObject({ entry_id: first.entry_id, balance_fen: 9_000, duplicate: true });
    expect((await refused(consume(id, 999, STAFF, k))).hint).toBe("idempotency_key_reused");
    // The manager uses the same key text: a posting of their own, not a replay of the staff's.
    const other = await ok(consume(id, 1_000, MALL_MANAGER, k));
    expect(other.duplicate).toBe(false);
    expect(await checkCard(id)).toBe(8_000);
    expect(await ledgerCount(id)).toBe(4);
  });

  it("the same key posted from 20 connections at once posts once", async () => {
    const id = (await ok(issue())).card_id as string;
    await ok(recharge(id, 50_000));
    const clients = await connect(20);
    try {
      const k = key("burst");
      const results = await Promise.all(clients.map((c) => callAs(c, STAFF, "select consume_card($1, $2, $3, $4) as r", [id, mall, 700, k])));
      expect(results.every((r) => r.ok)).toBe(true);
      expect(new Set(results.map((r) => (r.ok ? r.value.entry_id : null))).size).toBe(1);
      expect(await checkCard(id)).toBe(49_300);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});

async function connect(n: number) {
  return Promise.all(Array.from({ length: n }, async () => {
    const c = new pg.Client({ connectionString: databaseUrl() });
    await c.connect();
    return c;
  }));
}

describe("concurrency", () => {
  it("20 parallel consumptions exceeding the balance: never below zero, every accepted one in the ledger", async () => {
    const id = (await ok(issue())).card_id as string;
    await ok(recharge(id, 10_000));
    const clients = await connect(20);
    try {
      const asks = clients.map((_, i) => 700 + ((i * 131) % 500)); // 700..1199 fen each, far more than 100 yuan
      expect(asks.reduce((a, b) => a + b, 0)).toBeGreaterThan(10_000);
      const results = await Promise.all(
        clients.map((c, i) => callAs(c, STAFF, "select consume_card($1, $2, $3, $4) as r", [id, mall, asks[i], key("par")])),
      );
      let accepted = 0;
      const entries: number[] = [];
      for (const [i, r] of results.entries()) {
        if (r.ok) {
          accepted += asks[i];
          entries.push(Number(r.value.entry_id));
          expect(Number(r.value.balance_fen)).toBeGreaterThanOrEqual(0);
        } else {
          expect(r.error.hint).toBe("card_insufficient_balance");
        }
      }
      expect(entries.length).toBeGreaterThan(0);
      expect(entries.length).toBeLessThan(20);
      const balance = await checkCard(id);
      expect(balance).toBe(10_000 - accepted);
      expect(balance).toBeLessThan(Math.min(...asks)); // refused ones were refused for a real shortfall... or too big for what was left
      const { rows } = await db.query("select id::int, -amount_fen::int as fen from card_ledger where card_id = $1 and kind = 'consume' order by id", [id]);
      expect(rows.map((r) => r.id).sort()).toEqual(entries.sort());
      expect(rows.reduce((a, r) => a + r.fen, 0)).toBe(accepted);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it("parallel refunds of one consumption never return more than it took", async () => {
    const id = (await ok(issue())).card_id as string;
    await ok(recharge(id, 5_000));
    const spent = await ok(consume(id, 3_000));
    const clients = await connect(10);
    try {
      const results = await Promise.all(clients.map((c) => callAs(c, STAFF, "select refund_card_consumption($1, $2, $3) as r", [spent.entry_id, 700, key("pr")])));
      expect(results.filter((r) => r.ok)).toHaveLength(4);
      expect(results.filter((r) => !r.ok).map((r) => (r.ok ? "" : r.error.hint))).toEqual(Array(6).fill("card_refund_over_consumption"));
      expect(await checkCard(id)).toBe(2_000 + 2_800);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});

describe("caps, roles and bad input", () => {
  it("no staff login recharges directly, not even a manager or director; the system never above the single cap", async () => {
    const id = (await ok(issue())).card_id as string;
    for (const who of [STAFF, MALL_MANAGER, "director@demo.test", HOTEL_STAFF]) {
      expect((await refused(recharge(id, 100, who))).hint).toBe("card_recharge_needs_approval");
      expect((await refused(as(who, "select recharge_cards_bulk($1, $2, $3, $4) as r",
        [mall, JSON.stringify([{ card_id: id, amount_fen: 100 }]), "cash", key()]))).hint).toBe("card_recharge_needs_approval");
    }
    await ok(recharge(id, CARD_LIMITS.staff_cap_fen + 1));
    expect((await refused(recharge(id, CARD_LIMITS.max_amount_fen + 1))).hint).toBe("card_amount_over_cap");
    expect((await refused(as("analyst@demo.test", "select consume_card($1, $2, $3, $4) as r", [id, mall, 1, key()]))).hint).toBe("unit_role_required");
    expect(await checkCard(id)).toBe(CARD_LIMITS.staff_cap_fen + 1);
  });

  it("bad inputs are refused with clear reasons and change nothing", async () => {
    const id = (await ok(issue())).card_id as string;
    const rechargeEntry = (await ok(recharge(id, 1_000))).entry_id;
    const cases: [() => Promise<Result>, string][] = [
      [() => consume(id, 1_001), "card_insufficient_balance"],
      [() => consume(id, 0), "card_amount_not_positive"],
      [() => consume(id, -5), "card_amount_not_positive"],
      [() => consume(id, 1, STAFF, ""), "idempotency_key_missing"],
      [() => consume(id, 1, STAFF, "x".repeat(500)), "idempotency_key_too_long"],
      [() => as(STAFF, "select consume_card($1, $2, $3, $4, $5) as r", [id, mall, 1, key(), "x".repeat(501)]), "reason_too_long"],
      [() => consume("00000000-0000-0000-0000-000000000000", 1), "card_unknown"],
      [() => as(STAFF, "select consume_card($1, $2, $3, $4) as r", [null, mall, 1, key()]), "card_missing"],
      [() => as(STAFF, "select consume_card($1, $2, $3, $4) as r", [id, null, 1, key()]), "business_unit_missing"],
      [() => recharge(id, 1, SYSTEM, key(), mall, "cheque"), "card_channel_unknown"],
      [() => issue(STAFF, { type: "platinum" }), "card_type_unknown"],
      [() => issue(STAFF, { no: "ab-12" }), "card_no_invalid"],
      [() => issue(STAFF, { member: "00000000-0000-0000-0000-000000000000" }), "member_unknown"],
      [() => refund(2_000_000_000, 1), "card_entry_unknown"],
      [() => refund(rechargeEntry, 1), "card_entry_not_consumption"],
      [() => as(SYSTEM, "select recharge_cards_bulk($1, $2, $3, $4) as r", [mall, JSON.stringify([]), "cash", key()]), "card_bulk_invalid"],
      [() => as(SYSTEM, "select recharge_cards_bulk($1, $2, $3, $4) as r", [mall, JSON.stringify([{ card_id: id }]), "cash", key()]), "card_bulk_invalid"],
      [() => as(SYSTEM, "select recharge_cards_bulk($1, $2, $3, $4) as r", [mall, JSON.stringify([{ card_id: id, amount_fen: 1.5 }]), "cash", key()]), "card_bulk_invalid"],
      [() => as(SYSTEM, "select recharge_cards_bulk($1, $2, $3, $4) as r", [mall, JSON.stringify([{ card_id: id, amount_fen: 1 }, { card_id: id, amount_fen: 2 }]), "cash", key()]), "card_bulk_duplicate_card"],
    ];
    for (const [attempt, hint] of cases) {
      const e = await refused(attempt());
      expect(e.hint, e.message).toBe(hint);
    }
    const frozenMember = await newMember("frozen");
    expect((await refused(issue(STAFF, { member: frozenMember }))).hint).toBe("member_inactive");
    expect(await checkCard(id)).toBe(1_000);
    expect(await ledgerCount(id)).toBe(2);
  });

  it("a bulk recharge posts every card or none", async () => {
    const ids = await Promise.all([1, 2, 3].map(async () => (await ok(issue())).card_id as string));
    const k = key("bulk");
    const r = await ok(as(SYSTEM, "select recharge_cards_bulk($1, $2, $3, $4, $5) as r",
      [mall, JSON.stringify(ids.map((card_id, i) => ({ card_id, amount_fen: (i + 1) * 1_000 }))), "transfer", k, "企业团购充值"]));
    expect(r).toMatchObject({ count: 3, total_fen: 6_000 });
    expect(await Promise.all(ids.map(checkCard))).toEqual([1_000, 2_000, 3_000]);
    // A retry of the batch posts nothing new.
    await ok(as(SYSTEM, "select recharge_cards_bulk($1, $2, $3, $4, $5) as r",
      [mall, JSON.stringify(ids.map((card_id, i) => ({ card_id, amount_fen: (i + 1) * 1_000 }))), "transfer", k, "企业团购充值"]));
    expect(await Promise.all(ids.map(checkCard))).toEqual([1_000, 2_000, 3_000]);
    // One frozen card refuses the whole batch.
    await ok(setStatus(ids[1], "freeze"));
    const e = await refused(as(SYSTEM, "select recharge_cards_bulk($1, $2, $3, $4) as r",
      [mall, JSON.stringify(ids.map((card_id) => ({ card_id, amount_fen: 500 }))), "cash", key()]));
    expect(e.hint).toBe("card_frozen");
    expect(await Promise.all(ids.map(checkCard))).toEqual([1_000, 2_000, 3_000]);
  });
});

describe("over the API", () => {
  it("a frozen card's refusal reaches supabase-js with its reason code", async () => {
    const id = (await ok(issue())).card_id as string;
    await ok(setStatus(id, "freeze"));
    const { client } = await signedIn(STAFF);
    const { error } = await client.rpc("consume_card", { p_card_id: id, p_business_unit_id: mall, p_amount_fen: 1, p_idempotency_key: key() });
    expect(error).toMatchObject({ code: "22023", hint: "card_frozen" });
    const { data } = await client.from("stored_value_cards").select("id, status").eq("id", id).single();
    expect(data).toMatchObject({ status: "frozen" });
    const anon = await client.rpc("consume_card", { p_card_id: "00000000-0000-0000-0000-000000000000", p_business_unit_id: mall, p_amount_fen: 1, p_idempotency_key: key() });
    expect(anon.status).toBe(404);
  });
});
