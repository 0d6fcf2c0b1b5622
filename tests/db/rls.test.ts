import type { SupabaseClient } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "../../core/enums/index.ts";
import { anonClient, demoEmail, serviceClient, signedIn } from "./stack-env.ts";

const TABLES = ["business_units", "tiers", "members", "staff_profiles", "role_assignments", "audit_log"];
const clients = {} as Record<Role, SupabaseClient>;
const ids = {} as Record<Role, string>;
const phoneFor = (n: number) => `199${String(Date.now() % 1e7).padStart(7, "0")}${n}`;

beforeAll(async () => {
  for (const role of ROLES) {
    const { client, session } = await signedIn(demoEmail(role));
    clients[role] = client;
    ids[role] = session.user.id;
  }
});

afterAll(async () => {
  const service = await serviceClient();
  await service.from("members").delete().like("name", "RLS测试%");
  await service.from("business_units").delete().like("code", "rls-test-%");
});

describe("anon (no sign-in)", () => {
  it.each(TABLES)("reads nothing from %s", async (table) => {
    const { data, error } = await (await anonClient()).from(table).select("*").limit(5);
    expect(data ?? []).toEqual([]);
    expect(error?.code).toBe("42501");
  });

  it("cannot call my_access", async () => {
    const { error } = await (await anonClient()).rpc("my_access");
    expect(error?.code).toBe("42501");
  });
});

describe("each role through the API", () => {
  it.each(ROLES)("%s reads members (member_directory), tiers and business units", async (role) => {
    const members = await clients[role].from("member_directory").select("id", { count: "exact", head: true });
    expect(members.error).toBeNull();
    expect(members.count).toBeGreaterThanOrEqual(200);
    const units = await clients[role].from("business_units").select("code");
    expect(units.data?.map((u) => u.code).sort()).toEqual(expect.arrayContaining(["hotel", "mall", "office", "property"]));
  });

  it.each(ROLES)("%s sees its own roles in my_access", async (role) => {
    const { data, error } = await clients[role].rpc("my_access");
    expect(error).toBeNull();
    expect(data.user_id).toBe(ids[role]);
    expect(data.roles.map((r: { role: string }) => r.role)).toEqual([role]);
  });

  it.each([
    ["staff", true],
    ["manager", true],
    ["director", false],
    ["admin", true],
    ["analyst", false],
  ] as [Role, boolean][])("%s registering a member: allowed=%s", async (role, allowed) => {
    const { data, error } = await clients[role]
      .from("members")
      .insert({ name: `RLS测试${role}`, phone: phoneFor(ROLES.indexOf(role)) })
      .select("id")
      .maybeSingle();
    if (allowed) {
      expect(error).toBeNull();
      expect(data?.id).toBeTruthy();
    } else {
      expect(error?.code).toBe("42501");
    }
  });

  it("an analyst cannot change a member, and nothing changes", async () => {
    const before = await clients.analyst.from("member_directory").select("id, name").order("member_no").limit(1).single();
    const { data } = await clients.analyst.from("members").update({ name: "被篡改" }).eq("id", before.data!.id).select();
    expect(data).toEqual([]);
    const after = await clients.admin.from("members").select("name").eq("id", before.data!.id).single();
    expect(after.data!.name).toBe(before.data!.name);
  });

  it("only an admin creates business units", async () => {
    const staffTry = await clients.staff.from("business_units").insert({ code: "rls-test-s", name: "测试", kind: "other" });
    expect(staffTry.error?.code).toBe("42501");
    const adminTry = await clients.admin
      .from("business_units")
      .insert({ code: "rls-test-a", name: "测试业态", kind: "other" })
      .select()
      .single();
    expect(adminTry.error).toBeNull();
  });

  it("a manager cannot grant roles (no privilege escalation)", async () => {
    const { error } = await clients.manager.from("role_assignments").insert({ user_id: ids.manager, role: "admin" });
    expect(error?.code).toBe("42501");
    const mine = await clients.manager.rpc("my_access");
    expect(mine.data.roles.map((r: { role: string }) => r.role)).toEqual(["manager"]);
  });

  it("staff see only their own role assignments", async () => {
    const { data } = await clients.staff.from("role_assignments").select("user_id");
    expect(new Set(data!.map((r) => r.user_id))).toEqual(new Set([ids.staff]));
    const all = await clients.admin.from("role_assignments").select("user_id");
    expect(all.data!.length).toBeGreaterThanOrEqual(5);
  });

  it("the audit log is readable by admins and directors only", async () => {
    for (const role of ["staff", "manager", "analyst"] as Role[]) {
      const { data } = await clients[role].from("audit_log").select("id").limit(1);
      expect(data, role).toEqual([]);
    }
    for (const role of ["admin", "director"] as Role[]) {
      const { data } = await clients[role].from("audit_log").select("id").limit(1);
      expect(data!.length, role).toBe(1);
    }
  });

  it("nobody edits or deletes audit rows, not even an admin or the service role", async () => {
    const row = await clients.admin.from("audit_log").select("id").limit(1).single();
    const upd = await clients.admin.from("audit_log").update({ reason: "x" }).eq("id", row.data!.id);
    expect(upd.error).not.toBeNull();
    const del = await (await serviceClient()).from("audit_log").delete().eq("id", row.data!.id);
    expect(del.error?.message).toMatch(/append-only/);
  });
});
