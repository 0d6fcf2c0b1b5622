/**
 * Recharges are maker-checker: staff request them (request_card_recharge) through the seeded card-recharge flow
 * (the unit's manager checks the payment; the director too from 50,000 yuan in total), the final approval posts
 * them once as the system on the requester's behalf, and no staff login recharges directly. Through the API as
 * the demo users.
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CARD_LIMITS } from "../../core/enums/index.ts";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { signedIn, superuser } from "./stack-env.ts";

let db: pg.Client;
const { key, newMember, units } = ledgerHelpers("card-recharge", () => db);
let mall: string;
const as: Record<string, SupabaseClient> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await superuser();
  mall = (await units()).mall;
  for (const [name, email] of Object.entries({
    staff: "staff@demo.test", mallManager: "mall.manager@demo.test", hotelManager: "manager@demo.test",
    director: "director@demo.test", hotelStaff: "hotel.staff@demo.test",
  })) {
    const { client, session } = await signedIn(email);
    as[name] = client;
    ids[name] = session.user.id;
  }
});
afterAll(async () => {
  await db?.end();
});

const payment = (amount: number, extra: Record<string, unknown> = {}) => ({ amount, payment_method: "wechat", payment_ref: "WX20261203001", ...extra });

async function issue(member: string | null = null) {
  const { data, error } = await as.staff.rpc("issue_card", { p_business_unit_id: mall, p_type_code: "standard", p_idempotency_key: key("issue"), p_member_id: member });
  if (error) throw new Error(error.message);
  return data as { card_id: string; card_no: string };
}
const request = (cards: string[], data: Record<string, unknown>, who = as.staff, k = key("request")) =>
  who.rpc("request_card_recharge", { p_business_unit_id: mall, p_card_ids: cards, p_data: data, p_idempotency_key: k });
async function openTask(requestId: string) {
  const { rows } = await db.query("select * from approval_tasks where request_id = $1 and status = 'pending'", [requestId]);
  return rows[0] as { id: string; approver_role: string; step_key: string } | undefined;
}
const balance = async (card: string) => Number((await db.query("select balance_fen from stored_value_cards where id = $1", [card])).rows[0].balance_fen);
const counts = async () => (await db.query(
  "select (select count(*) from approval_requests)::int as requests, (select count(*) from card_ledger where kind = 'recharge')::int as recharges")).rows[0];

describe("a recharge request", () => {
  it("500 yuan on a member's card: the mall manager approves, the card ledger shows it once, with the requester as operator", async () => {
    const member = await newMember();
    const card = await issue(member);
    const { data: req, error } = await request([card.card_id], payment(500, { reason: "前台收款" }));
    expect(error).toBeNull();
    expect(req).toMatchObject({ status: "pending", action: "card_recharge", member_id: member });
    expect(req.data).toMatchObject({ amount_fen: 50_000, total_fen: 50_000, card_count: 1, cards: [{ card_id: card.card_id, card_no: card.card_no }] });
    expect(await balance(card.card_id)).toBe(0);

    const task = (await openTask(req.id))!;
    expect(task).toMatchObject({ approver_role: "manager", step_key: "unit_manager" });
    // The hotel's manager is not an approver of the mall's step; the requester never is.
    expect((await as.hotelManager.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve" })).error?.hint).toBe("approval_not_approver");
    expect((await as.staff.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve" })).error).not.toBeNull();
    const { data: done, error: decideError } = await as.mallManager.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve", p_comment: "已核对微信流水" });
    expect(decideError).toBeNull();
    expect(done.status).toBe("approved");
    expect(await balance(card.card_id)).toBe(50_000);
    const { rows } = await db.query("select kind, amount_fen::int, operator_id, channel, reason, idempotency_key from card_ledger where card_id = $1 order by id", [card.card_id]);
    expect(rows.map((r) => [r.kind, r.amount_fen])).toEqual([["issue", 0], ["recharge", 50_000]]);
    expect(rows[1]).toMatchObject({ operator_id: ids.staff, channel: "wechat" });
    expect(rows[1].reason).toContain("WX20261203001");
    // The approved recharge leaves its audit row (DESIGN 6: every change to cards is audited).
    const audit = await db.query(
      "select count(*)::int as n from audit_log a join card_ledger e on a.table_name = 'card_ledger' and a.record_id = e.id::text where e.card_id = $1 and e.kind = 'recharge'",
      [card.card_id]);
    expect(audit.rows[0].n).toBe(1);
  });

  it("three cards of 20,000 yuan each (60,000 in all): the director approves after the manager", async () => {
    const cards = await Promise.all([1, 2, 3].map(() => issue()));
    const { data: req } = await request(cards.map((c) => c.card_id), payment(20_000, { payment_method: "transfer", payment_ref: "TR-88001" }));
    expect(req.member_id).toBeNull();
    await as.mallManager.rpc("decide_approval_task", { p_task_id: (await openTask(req.id))!.id, p_decision: "approve" });
    expect(await Promise.all(cards.map((c) => balance(c.card_id)))).toEqual([0, 0, 0]);
    const second = (await openTask(req.id))!;
    expect(second).toMatchObject({ approver_role: "director", step_key: "marketing_director" });
    expect((await as.director.rpc("decide_approval_task", { p_task_id: second.id, p_decision: "approve" })).data.status).toBe("approved");
    expect(await Promise.all(cards.map((c) => balance(c.card_id)))).toEqual([2_000_000, 2_000_000, 2_000_000]);
  });

  it("10 parallel approvals of one request: one decision, the money posted once", async () => {
    const card = await issue();
    const { data: req } = await request([card.card_id], payment(88.8));
    const task = (await openTask(req.id))!;
    const answers = await Promise.all(Array.from({ length: 10 }, () => as.mallManager.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve" })));
    expect(answers.filter((a) => !a.error)).toHaveLength(1);
    expect(Number((await db.query("select count(*) from card_ledger where card_id = $1 and kind = 'recharge'", [card.card_id])).rows[0].count)).toBe(1);
    expect(await balance(card.card_id)).toBe(8_880);
  });

  it("parallel submissions with one key make one request", async () => {
    const card = await issue();
    const k = key("same");
    const answers = await Promise.all(Array.from({ length: 5 }, () => request([card.card_id], payment(10), as.staff, k)));
    expect(new Set(answers.map((a) => a.data?.id ?? a.error?.hint)).size).toBe(1);
  });

  it("a card lost after the request fails the request at approval with its reason, and posts nothing", async () => {
    const card = await issue();
    const { data: req } = await request([card.card_id], payment(100));
    await as.staff.rpc("set_card_status", { p_card_id: card.card_id, p_action: "report_loss", p_reason: "顾客挂失" });
    const { data: failed } = await as.mallManager.rpc("decide_approval_task", { p_task_id: (await openTask(req.id))!.id, p_decision: "approve" });
    expect(failed).toMatchObject({ status: "failed", failure_code: "card_lost" });
    expect(await balance(card.card_id)).toBe(0);
  });

  it("bad requests are refused with their reasons and create nothing", async () => {
    const card = await issue();
    const lost = await issue();
    await as.staff.rpc("set_card_status", { p_card_id: lost.card_id, p_action: "report_loss", p_reason: "顾客挂失" });
    const before = await counts();
    const cases: [() => PromiseLike<{ error: { hint?: string } | null }>, string][] = [
      [() => request([card.card_id], payment(0)), "schema_mismatch"],
      [() => request([card.card_id], payment(1.005)), "schema_mismatch"],
      [() => request([card.card_id], payment(10, { payment_method: "cheque" })), "schema_mismatch"],
      [() => request([card.card_id], { amount: 10, payment_method: "cash" }), "schema_mismatch"],
      [() => request([card.card_id], payment(10, { payment_ref: "-流水" })), "schema_mismatch"],
      [() => request([], payment(10)), "card_bulk_invalid"],
      [() => request([card.card_id, card.card_id], payment(10)), "card_bulk_invalid"],
      [() => request(Array.from({ length: CARD_LIMITS.bulk_max_items + 1 }, () => crypto.randomUUID()), payment(10)), "card_bulk_invalid"],
      [() => request(["00000000-0000-0000-0000-000000000000"], payment(10)), "card_unknown"],
      [() => request([lost.card_id], payment(10)), "card_lost"],
      [() => request([card.card_id], payment(10), as.hotelStaff), "unit_role_required"],
      [() => request([card.card_id], payment(10), as.staff, "short"), "idempotency_key_invalid"],
    ];
    for (const [attempt, hint] of cases) expect((await attempt()).error?.hint, hint).toBe(hint);
    expect(await counts()).toEqual(before);
  });

  it("no staff login recharges directly", async () => {
    const card = await issue();
    for (const who of [as.staff, as.mallManager, as.director]) {
      const { error } = await who.rpc("recharge_card", { p_card_id: card.card_id, p_business_unit_id: mall, p_amount_fen: 100, p_channel: "cash", p_idempotency_key: key("direct") });
      expect(error?.hint).toBe("card_recharge_needs_approval");
    }
    expect(await balance(card.card_id)).toBe(0);
  });
});
