/**
 * Unit API keys over HTTP through the gateway: a mall key acts only for the mall (no hotel transaction, no
 * hotel data, no other function or table), revoked and expired keys are refused, a rotation keeps the old
 * secret for its overlap only, every call is in the audit log with its key, redemptions are as safe as a
 * staff login's (parallel, idempotent, never below zero), and the OpenAPI a key sees lists only the unit API.
 */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import pg from "pg";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { apiUrl, demoEmail, signedIn, superuser } from "./stack-env.ts";

let db: pg.Client;
let admin: SupabaseClient;
let mall: string;
let hotel: string;
const { key, newMember, units } = ledgerHelpers("unit-keys", () => db);

const unitClient = (secret: string) =>
  createClient(apiUrl(), secret, { auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: WebSocket as never } });

async function rpc(secret: string, fn: string, args: Record<string, unknown>) {
  const res = await fetch(`${apiUrl()}/rest/v1/rpc/${fn}`, {
    method: "POST",
    headers: { apikey: secret, "Content-Type": "application/json" },
    body: JSON.stringify(args),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function createKey(unit: string, name: string) {
  const { data, error } = await admin.rpc("create_api_key", { p_business_unit_id: unit, p_name: name });
  expect(error).toBeNull();
  return data as { id: string; secret: string; prefix: string };
}

beforeAll(async () => {
  db = await superuser();
  ({ mall, hotel } = await units());
  admin = (await signedIn(demoEmail("admin"))).client;
});

afterAll(async () => {
  await db.end();
});

describe("unit API keys", () => {
  it("are created by administrators only; the secret is returned once and stored as a hash", async () => {
    const staff = (await signedIn(demoEmail("staff"))).client;
    const refused = await staff.rpc("create_api_key", { p_business_unit_id: mall, p_name: "收银系统" });
    expect(refused.error?.hint).toBe("api_keys_admin_only");
    const bad = await admin.rpc("create_api_key", { p_business_unit_id: mall, p_name: "  " });
    expect(bad.error?.hint).toBe("api_key_name_invalid");

    const created = await createKey(mall, "收银系统");
    expect(created.secret).toMatch(/^uk_[A-Za-z0-9_-]{43}$/);
    expect(created.secret.startsWith(created.prefix)).toBe(true);
    const stored = await db.query("select encode(secret_hash, 'hex') as h from private.api_key_secrets where key_id = $1", [created.id]);
    expect(stored.rows[0].h).not.toContain(created.secret);
    expect(JSON.stringify(await db.query("select * from api_keys where id = $1", [created.id]).then((r) => r.rows))).not.toContain(created.secret.slice(11));
    // The service account: staff of the mall only, and it cannot sign in.
    const account = await db.query(
      "select sa.user_id, array_agg(ra.role::text || ':' || ra.business_unit_id) as roles from api_service_accounts sa join role_assignments ra on ra.user_id = sa.user_id where sa.business_unit_id = $1 group by 1",
      [mall],
    );
    expect(account.rows[0].roles).toEqual([`staff:${mall}`]);
    await expect(db.query("insert into role_assignments (user_id, role) values ($1, 'admin')", [account.rows[0].user_id])).rejects.toMatchObject({ hint: "service_account_role" });
  });

  it("a mall key posts mall transactions and looks members up, but cannot post for the hotel or read hotel data", async () => {
    const { secret } = await createKey(mall, "POS");
    const member = await newMember();
    const phone = (await db.query("select phone, member_no from members where id = $1", [member])).rows[0];
    await db.query("insert into member_identities (member_id, business_unit_id, external_id) values ($1, $2, $3)", [member, hotel, `H-${phone.phone}`]);
    await db.query("insert into member_identities (member_id, business_unit_id, external_id) values ($1, $2, $3)", [member, mall, `M-${phone.phone}`]);

    const client = unitClient(secret);
    const byPhone = await client.rpc("unit_find_member", { p_phone: phone.phone });
    expect(byPhone.error).toBeNull();
    expect(byPhone.data).toEqual([expect.objectContaining({ member_id: member, member_no: phone.member_no, unit_member_id: `M-${phone.phone}` })]);
    const byNumber = await client.rpc("unit_find_member", { p_member_code: phone.member_no.toLowerCase() });
    expect(byNumber.data).toHaveLength(1);
    const byMallId = await client.rpc("unit_find_member", { p_member_code: `M-${phone.phone}` });
    expect(byMallId.data).toHaveLength(1);
    // The hotel's own member id is hotel data: a mall key does not find the member by it.
    const byHotelId = await client.rpc("unit_find_member", { p_member_code: `H-${phone.phone}` });
    expect(byHotelId.data).toEqual([]);

    const order = key("order");
    const posted = await client.rpc("unit_record_transaction", { p_member_id: member, p_order_no: order, p_amount: 128.5 });
    expect(posted.error).toBeNull();
    const txn = await db.query("select business_unit_id, amount from transactions where order_no = $1", [order]);
    expect(txn.rows).toEqual([{ business_unit_id: mall, amount: "128.50" }]);

    const hotelOrder = key("hotel-order");
    const forHotel = await client.rpc("unit_record_transaction", { p_member_id: member, p_order_no: hotelOrder, p_amount: 10, p_business_unit_id: hotel });
    expect(forHotel.error?.hint).toBe("api_key_wrong_unit");
    // The general functions and tables are not the unit API: refused at the gateway, and without rights in SQL.
    const direct = await rpc(secret, "record_transaction", { p_member_id: member, p_business_unit_id: hotel, p_order_no: hotelOrder, p_amount: 10 });
    expect(direct.status).toBe(403);
    expect(direct.body.code).toBe("api_key_path_not_allowed");
    const table = await client.from("transactions").select("id").eq("business_unit_id", hotel);
    expect(table.error).not.toBeNull();
    expect(table.data).toBeNull();
    expect((await db.query("select count(*)::int as n from transactions where order_no = $1", [hotelOrder])).rows[0].n).toBe(0);
    // Bad input: a clear refusal.
    const badLookup = await client.rpc("unit_find_member", { p_phone: "123" });
    expect(badLookup.error?.hint).toBe("api_lookup_invalid");
  });

  it("the database role of a key may execute only the unit API and read no table or view", async () => {
    const fns = await db.query(
      `select p.proname from pg_proc p where p.pronamespace = 'public'::regnamespace
         and has_function_privilege('unit_api', p.oid, 'execute') order by 1`,
    );
    expect(fns.rows.map((r) => r.proname)).toEqual([
      "unit_find_member", "unit_member_benefits", "unit_record_transaction", "unit_redeem_coupon", "unit_redeem_points", "unit_verify_benefit",
    ]);
    const relations = await db.query(
      `select c.relname from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'v', 'm', 'p')
         and (has_table_privilege('unit_api', c.oid, 'select') or has_table_privilege('unit_api', c.oid, 'insert')
              or has_table_privilege('unit_api', c.oid, 'update') or has_table_privilege('unit_api', c.oid, 'delete'))`,
    );
    expect(relations.rows).toEqual([]);
  });

  it("serves the OpenAPI filtered to what a unit key may call", async () => {
    const { secret } = await createKey(mall, "文档");
    const res = await fetch(`${apiUrl()}/unit-api/openapi.json`, { headers: { apikey: secret } });
    expect(res.status).toBe(200);
    const spec = (await res.json()) as { paths: Record<string, unknown> };
    const paths = Object.keys(spec.paths).filter((p) => p !== "/");
    expect(paths.sort()).toEqual([
      "/rpc/unit_find_member", "/rpc/unit_member_benefits", "/rpc/unit_record_transaction", "/rpc/unit_redeem_coupon", "/rpc/unit_redeem_points", "/rpc/unit_verify_benefit",
    ]);
    const keyless = await fetch(`${apiUrl()}/unit-api/openapi.json`);
    expect(keyless.status).toBe(401);
  });

  it("refuses a revoked key at once, and an unknown one", async () => {
    const created = await createKey(mall, "将吊销");
    const member = await newMember();
    const phone = (await db.query("select phone from members where id = $1", [member])).rows[0].phone;
    expect((await rpc(created.secret, "unit_find_member", { p_phone: phone })).status).toBe(200);
    const noReason = await admin.rpc("revoke_api_key", { p_key_id: created.id, p_reason: "" });
    expect(noReason.error?.hint).toBe("api_key_reason_required");
    const revoked = await admin.rpc("revoke_api_key", { p_key_id: created.id, p_reason: "收银系统下线" });
    expect(revoked.error).toBeNull();
    const after = await rpc(created.secret, "unit_find_member", { p_phone: phone });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe("api_key_revoked");
    const unknown = await rpc(`uk_${"A".repeat(43)}`, "unit_find_member", { p_phone: phone });
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe("api_key_unknown");
    const audit = await db.query("select reason, actor_id from audit_log where table_name = 'api_keys' and record_id = $1 and action = 'UPDATE'", [created.id]);
    expect(audit.rows.map((r) => r.reason)).toEqual(["收银系统下线"]);
  });

  it("a rotated key's old secret works during the overlap only; the new one works after it", async () => {
    const old = await createKey(mall, "轮换");
    const member = await newMember();
    const phone = (await db.query("select phone from members where id = $1", [member])).rows[0].phone;
    const badOverlap = await admin.rpc("rotate_api_key", { p_key_id: old.id, p_overlap_minutes: 5000 });
    expect(badOverlap.error?.hint).toBe("api_key_overlap_invalid");
    const rotated = await admin.rpc("rotate_api_key", { p_key_id: old.id, p_overlap_minutes: 60 });
    expect(rotated.error).toBeNull();
    const fresh = rotated.data as { id: string; secret: string; old_key_expires_at: string };
    expect(new Date(fresh.old_key_expires_at).getTime() - Date.now()).toBeGreaterThan(59 * 60_000);
    expect((await rpc(old.secret, "unit_find_member", { p_phone: phone })).status).toBe(200);
    expect((await rpc(fresh.secret, "unit_find_member", { p_phone: phone })).status).toBe(200);
    const twice = await admin.rpc("rotate_api_key", { p_key_id: old.id });
    expect(twice.error?.hint).toBe("api_key_already_rotated");

    // The overlap ends (the clock moved on: the end is put in the past).
    await db.query("update api_keys set expires_at = greatest(created_at, now() - interval '1 second') where id = $1", [old.id]);
    await new Promise((r) => setTimeout(r, 1100));
    const expired = await rpc(old.secret, "unit_find_member", { p_phone: phone });
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe("api_key_expired");
    expect((await rpc(fresh.secret, "unit_find_member", { p_phone: phone })).status).toBe(200);

    // Overlap 0: the old secret ends at once.
    const now = await admin.rpc("rotate_api_key", { p_key_id: fresh.id, p_overlap_minutes: 0 });
    expect(now.error).toBeNull();
    expect((await rpc(fresh.secret, "unit_find_member", { p_phone: phone })).status).toBe(401);
    expect((await rpc((now.data as { secret: string }).secret, "unit_find_member", { p_phone: phone })).status).toBe(200);
  });

  it("attributes every call to its key and unit in the audit log", async () => {
    const created = await createKey(mall, "归属");
    const member = await newMember();
    const before = (await db.query("select coalesce(max(id), 0) as id from audit_log")).rows[0].id;
    const order = key("attr");
    expect((await rpc(created.secret, "unit_record_transaction", { p_member_id: member, p_order_no: order, p_amount: 50 })).status).toBe(200);
    const { rows } = await db.query(
      "select action, record_id, actor_role, api_key_id, after->>'business_unit_id' as unit, after->'arguments'->>'order_no' as order_no from audit_log where id > $1 and api_key_id = $2",
      [before, created.id],
    );
    expect(rows).toEqual([{ action: "CALL", record_id: "unit_record_transaction", actor_role: "unit_api", api_key_id: created.id, unit: mall, order_no: order }]);
    // A token naming a key cannot be forged into another key's name by what SQL inserts: the trigger takes it from the token.
    const plain = await db.query("insert into audit_log (table_name, action, api_key_id) values ('api_calls', 'EXPORT', $1) returning api_key_id", [created.id]);
    expect(plain.rows[0].api_key_id).toBeNull();
  });

  it("redeems through the same guarded function: parallel calls with one idempotency key post once, never below zero", async () => {
    const { secret } = await createKey(mall, "积分兑换");
    const member = await newMember();
    await db.query("select earn_points($1, $2, 100, $3)", [member, mall, key("seed")]);
    const idem = key("redeem");
    const same = await Promise.all(Array.from({ length: 8 }, () => rpc(secret, "unit_redeem_points", { p_member_id: member, p_points: 30, p_idempotency_key: idem })));
    expect(same.every((r) => r.status === 200)).toBe(true);
    const distinct = await Promise.all(Array.from({ length: 6 }, (_, i) => rpc(secret, "unit_redeem_points", { p_member_id: member, p_points: 30, p_idempotency_key: `${idem}-${i}` })));
    // 100 - 30 (the idempotent one) = 70: two more of 30 fit, the other four are refused.
    const ok = distinct.filter((r) => r.status === 200).length;
    expect(ok).toBe(2);
    expect(distinct.filter((r) => r.status !== 200).every((r) => r.body.hint === "insufficient_points")).toBe(true);
    const balance = (await db.query("select balance::int from point_balances where member_id = $1", [member])).rows[0].balance;
    expect(balance).toBe(10);
    const over = await rpc(secret, "unit_redeem_points", { p_member_id: member, p_points: 11, p_idempotency_key: key("over") });
    expect(over.body.hint).toBe("insufficient_points");
  });

  it("rate-limits each key at the gateway (429) without touching another key", async () => {
    const busy = await createKey(mall, "限流");
    const calm = await createKey(mall, "限流对照");
    const answers = await Promise.all(Array.from({ length: 120 }, () => rpc(busy.secret, "unit_find_member", { p_member_code: "M0" })));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].body.code).toBe("api_key_rate_limited");
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(40);
    expect((await rpc(calm.secret, "unit_find_member", { p_member_code: "M0" })).status).toBe(200);
  });
});
