import { gatewayUrl } from "../stack/config.ts";
import { expect, test } from "./fixtures";
import { apiAs, createMember, MENU, signIn } from "./helpers";

const gateway = () => process.env.SUPABASE_TEST_URL ?? gatewayUrl();

/** A unit API call over HTTP, as the unit's own system makes it. */
async function unitCall(secret: string, fn: string, args: Record<string, unknown>) {
  const res = await fetch(`${gateway()}/rest/v1/rpc/${fn}`, {
    method: "POST",
    headers: { apikey: secret, "content-type": "application/json" },
    body: JSON.stringify(args),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | Record<string, unknown>[] | null };
}

test("an administrator creates a mall API key, sees it once, the key works, is revoked and refused; the audit explorer finds its calls", async ({ page }) => {
  test.setTimeout(180_000);
  const api = await apiAs("admin@demo.test");
  const member = await createMember(api, "接口测试");
  const name = `商场收银 ${Date.now().toString(36)}`;

  await signIn(page, "admin@demo.test");
  await page.getByRole("menu").getByRole("link", { name: MENU.zh.api_keys, exact: true }).click();
  await expect(page).toHaveURL(/\/api-keys$/);
  await page.getByRole("button", { name: "新建密钥" }).click();
  const dialog = page.getByRole("dialog", { name: "新建密钥" });
  await dialog.getByLabel("业态").click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "星河购物中心" }).click();
  await dialog.getByLabel("名称").fill(name);
  await dialog.getByRole("button", { name: /^创\s?建$/ }).click();

  // The secret, shown once.
  const shown = page.getByRole("dialog", { name: "新的接口密钥" });
  await expect(shown.getByText("关闭后将无法再次查看此密钥")).toBeVisible();
  const secret = (await shown.getByTestId("api-key-secret").innerText()).trim();
  expect(secret).toMatch(/^uk_[A-Za-z0-9_-]{43}$/);
  await shown.getByRole("button", { name: "我已保存" }).click();
  await expect(shown).toBeHidden();
  const row = page.locator(".ant-table-tbody tr").filter({ hasText: name });
  await expect(row).toContainText("有效");
  await expect(row).toContainText("星河购物中心");
  await expect(row).toContainText(secret.slice(0, 11));
  await expect(page.getByText(secret)).toHaveCount(0);

  // The key works from outside the browser, for the mall only.
  const found = await unitCall(secret, "unit_find_member", { p_phone: member.phone });
  expect(found.status).toBe(200);
  expect(found.body).toEqual([expect.objectContaining({ member_id: member.id, member_no: member.member_no })]);
  const order = `E2E-API-${Date.now()}`;
  const posted = await unitCall(secret, "unit_record_transaction", { p_member_id: member.id, p_order_no: order, p_amount: 88 });
  expect(posted.status).toBe(200);
  const hotel = (await api.get<{ id: string }>("business_units?select=id&code=eq.hotel")).rows[0].id;
  const refused = await unitCall(secret, "unit_record_transaction", { p_member_id: member.id, p_order_no: `${order}-H`, p_amount: 88, p_business_unit_id: hotel });
  expect(refused.status).toBe(403);
  expect((refused.body as { hint: string }).hint).toBe("api_key_wrong_unit");

  // Revoked with a reason: refused at once.
  await row.getByRole("button", { name: /^吊\s?销$/ }).click();
  const revoke = page.getByRole("dialog", { name: `吊销密钥「${name}」` });
  await revoke.getByLabel("吊销原因").fill("收银系统更换");
  await revoke.getByRole("button", { name: /^吊\s?销$/ }).click();
  await expect(row).toContainText("已吊销");
  await expect(row).toContainText("收银系统更换");
  const after = await unitCall(secret, "unit_find_member", { p_phone: member.phone });
  expect(after.status).toBe(401);
  expect((after.body as { code: string }).code).toBe("api_key_revoked");

  // The audit explorer: the key's calls, by key and by action, with their before/after.
  await page.getByRole("menu").getByRole("link", { name: MENU.zh.audit_log, exact: true }).click();
  await page.getByLabel(/^接口密钥\s*:?$/).click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: `${name} · 星河购物中心` }).click();
  await page.getByLabel(/^操作\s*:?$/).click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "接口调用" }).click();
  await page.getByRole("button", { name: /^查\s?询$/ }).click();
  await expect(page).toHaveURL(/api_key_id/);
  const calls = page.locator(".ant-table-tbody > tr.ant-table-row");
  await expect(calls).toHaveCount(2);
  await expect(calls.filter({ hasText: "上传消费" })).toContainText(`经接口密钥 ${name} · 星河购物中心`);
  await expect(calls.filter({ hasText: "查询会员" })).toHaveCount(1);
  await calls.filter({ hasText: "上传消费" }).getByRole("button", { name: "查看变更" }).click();
  await expect(page.locator(".ant-table-expanded-row")).toContainText(order);
});
