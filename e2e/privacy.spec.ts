import fs from "node:fs";
import { expect, test } from "./fixtures";
import { apiAs, createMember, signIn, unitId } from "./helpers";

test("a mall POS purchase shows as 待入账; the manager exports the member as JSON and Excel, then anonymises them", async ({ page }) => {
  const staff = await apiAs("staff@demo.test");
  const mall = await unitId(staff, "mall");
  const member = await createMember(staff, "E2E隐私", { home_business_unit_id: mall, email: "privacy.e2e@example.com" });
  // A purchase at the mall's till: the seeded return-window rule keeps its points pending for 7 days.
  await staff.post("rpc/record_transaction", {
    p_member_id: member.id, p_business_unit_id: mall, p_order_no: `E2E-PRIV-${member.phone}`, p_amount: 388, p_channel: "pos",
  });
  await expect.poll(async () => (await staff.get(`pending_points?select=id&member_id=eq.${member.id}&status=eq.held`)).total,
    { timeout: 30_000 }).toBe(1);

  await signIn(page, "mall.manager@demo.test");
  await expect(page.getByRole("menu")).toBeVisible();
  await page.goto(`/members/show/${member.id}`);
  await expect(page.getByRole("heading", { name: `${member.name} · ${member.member_no}` })).toBeVisible();
  const balance = page.getByRole("region", { name: "积分余额" });
  await expect(balance).toContainText("0");
  await expect(balance.getByTestId("pending-line")).toContainText(/待入账 \d+ 积分/);
  await page.getByRole("tab", { name: "积分流水" }).click();
  await expect(page.getByTestId("pending-points")).toContainText("待入账");

  // Export: JSON, then Excel.
  const jsonDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "导出个人数据" }).click();
  await page.getByRole("menuitem", { name: "导出为 JSON" }).click();
  const json = await jsonDownload;
  expect(json.suggestedFilename()).toMatch(new RegExp(`^会员个人数据-${member.member_no}-\\d{8}-\\d{4}\\.json$`));
  const data = JSON.parse(fs.readFileSync((await json.path())!, "utf8"));
  expect(data.member_id).toBe(member.id);
  expect(data.profile[0]).toMatchObject({ id: member.id, phone: member.phone });
  expect(data.pending_points).toHaveLength(1);

  const xlsxDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "导出个人数据" }).click();
  await page.getByRole("menuitem", { name: "导出为 Excel" }).click();
  const xlsx = await xlsxDownload;
  expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
  expect(fs.readFileSync((await xlsx.path())!).subarray(0, 2).toString()).toBe("PK");

  // Anonymise on request, with a reason and a second confirmation.
  await page.getByRole("button", { name: "匿名化" }).click();
  const dialog = page.getByRole("dialog", { name: "会员匿名化" });
  await dialog.getByRole("button", { name: "匿名化" }).click();
  await expect(dialog).toContainText("请填写原因");
  await dialog.getByLabel("原因").fill("会员本人书面申请删除个人信息");
  await dialog.getByRole("button", { name: "匿名化" }).click();
  await page.getByRole("dialog", { name: "确认匿名化？" }).getByRole("button", { name: "匿名化" }).click();
  await expect(dialog).toContainText("会员已匿名化");
  await dialog.getByRole("button", { name: /^关\s?闭$/ }).click();

  await expect(page.getByRole("heading", { name: `匿名会员 · ${member.member_no}` })).toBeVisible();
  await expect(page.getByTestId("member-anonymised")).toContainText("应本人要求匿名化");
  await expect(page.getByRole("button", { name: "匿名化" })).toHaveCount(0);
  const { rows } = await staff.get<{ phone: string | null; email: string | null; status: string }>(
    `members?id=eq.${member.id}&select=phone,email,status`);
  expect(rows[0]).toEqual({ phone: null, email: null, status: "cancelled" });
});

test("staff export but may not anonymise; analysts do neither", async ({ page }) => {
  const staff = await apiAs("staff@demo.test");
  const member = await createMember(staff, "E2E隐私权限", { home_business_unit_id: await unitId(staff, "mall") });
  await signIn(page, "staff@demo.test");
  await expect(page.getByRole("menu")).toBeVisible();
  await page.goto(`/members/show/${member.id}`);
  await expect(page.getByRole("heading", { name: `${member.name} · ${member.member_no}` })).toBeVisible();
  await expect(page.getByRole("button", { name: "导出个人数据" })).toBeVisible();
  await expect(page.getByRole("button", { name: "匿名化" })).toHaveCount(0);
  await expect(staff.post("rpc/anonymise_member", { p_member_id: member.id, p_reason: "越权尝试" })).rejects.toMatchObject({ status: 403 });
  const analyst = await apiAs("analyst@demo.test");
  await expect(analyst.post("rpc/member_privacy_export", { p_member_id: member.id })).rejects.toMatchObject({ status: 403 });
});
