import { afterAll, describe, expect, it } from "vitest";
import { demoEmail, serviceClient, signedIn, superuser } from "./stack-env.ts";

describe("audit trail", () => {
  afterAll(async () => {
    await (await serviceClient()).from("members").delete().like("name", "审计测试%");
  });

  it("records who changed a member, before and after, and why", async () => {
    const { client, session } = await signedIn(demoEmail("staff"));
    const created = await client
      .from("members")
      .insert({ name: "审计测试甲", phone: `177${String(Date.now()).slice(-8)}` })
      .select()
      .single();
    expect(created.error).toBeNull();
    await client.from("members").update({ name: "审计测试乙" }).eq("id", created.data!.id);

    const db = await superuser();
    try {
      const { rows } = await db.query(
        "select action, actor_id, actor_role, before->>'name' as before_name, after->>'name' as after_name from audit_log where table_name = 'members' and record_id = $1 order by id",
        [created.data!.id],
      );
      expect(rows).toEqual([
        { action: "INSERT", actor_id: session.user.id, actor_role: "authenticated", before_name: null, after_name: "审计测试甲" },
        { action: "UPDATE", actor_id: session.user.id, actor_role: "authenticated", before_name: "审计测试甲", after_name: "审计测试乙" },
      ]);

      await db.query("begin");
      await db.query("select set_config('app.reason', '客户来电更正姓名', true)");
      await db.query("update members set name = '审计测试丙' where id = $1", [created.data!.id]);
      await db.query("commit");
      const reason = await db.query(
        "select reason from audit_log where table_name = 'members' and record_id = $1 order by id desc limit 1",
        [created.data!.id],
      );
      expect(reason.rows[0].reason).toBe("客户来电更正姓名");
    } finally {
      await db.end();
    }
  });

  it("takes the reason of an API change from the x-audit-reason header (percent-encoded); a malformed one is ignored", async () => {
    const { client } = await signedIn(demoEmail("staff"));
    const created = await client
      .from("members")
      .insert({ name: "审计测试丁", phone: `176${String(Date.now()).slice(-8)}` })
      .select()
      .single();
    expect(created.error).toBeNull();
    const update = (name: string, header: string) =>
      client.from("members").update({ name }).eq("id", created.data!.id).setHeader("x-audit-reason", header);
    expect((await update("审计测试戊", encodeURIComponent("会员来电更正姓名 100%"))).error).toBeNull();
    expect((await update("审计测试己", "%E4%BC")).error).toBeNull();

    const db = await superuser();
    try {
      const { rows } = await db.query(
        "select after->>'name' as name, reason from audit_log where table_name = 'members' and record_id = $1 and action = 'UPDATE' order by id",
        [created.data!.id],
      );
      expect(rows).toEqual([
        { name: "审计测试戊", reason: "会员来电更正姓名 100%" },
        { name: "审计测试己", reason: null },
      ]);
    } finally {
      await db.end();
    }
  });
});

describe("audit log labels", () => {
  it("every audited table has a name in Chinese and in English (the audit page shows it)", async () => {
    const zhCN = (await import("../../app/i18n/zh-CN.json")).default as { audit_log: { tables: Record<string, string> } };
    const en = (await import("../../app/i18n/en.json")).default as { audit_log: { tables: Record<string, string> } };
    const db = await superuser();
    try {
      const { rows } = await db.query<{ table: string }>(
        `select distinct c.relname as table from pg_trigger t join pg_class c on c.oid = t.tgrelid
         join pg_namespace n on n.oid = c.relnamespace
         where t.tgfoid = 'private.audit_row'::regproc and n.nspname = 'public' order by 1`,
      );
      expect(rows.length).toBeGreaterThan(10);
      const missing = rows.map((r) => r.table).filter((table) => !zhCN.audit_log.tables[table] || !en.audit_log.tables[table]);
      expect(missing).toEqual([]);
    } finally {
      await db.end();
    }
  });
});
