import ExcelJS from "exceljs";
import { expect, test } from "./fixtures";
import { apiAs, createMember, MENU, signIn, type TestMember } from "./helpers";

/**
 * 批量导入: a mall staff member imports 1,000 purchases from an .xlsx made here, watches the progress, and finds
 * the points the rules engine earned for them on a member's 360 page.
 */
test("staff imports 1,000 purchases from XLSX; the engine earns their points", async ({ page }) => {
  test.setTimeout(240_000);
  const api = await apiAs("staff@demo.test");
  const members: TestMember[] = [];
  for (let i = 0; i < 5; i++) members.push(await createMember(api, "导入测试"));
  const run = Date.now().toString(36);

  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("流水");
  sheet.addRow(["会员手机号", "订单号", "消费金额（元）", "消费时间"]);
  const at = new Date(Date.now() - 3_600_000).toISOString();
  for (let i = 0; i < 1000; i++) sheet.addRow([members[i % members.length].phone, `XLSX-${run}-${i}`, 100 + (i % 7), at]);
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());

  await signIn(page, "staff@demo.test");
  await page.getByRole("menu").getByRole("link", { name: MENU.zh.imports, exact: true }).click();
  await expect(page).toHaveURL(/\/imports$/);
  await page.getByTestId("import-target").click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "消费流水" }).click();
  await page.locator("input[type=file]").setInputFiles({
    name: "消费流水.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer,
  });
  await expect(page.getByText("消费流水.xlsx：共 1,000 行数据")).toBeVisible({ timeout: 30_000 });

  // The columns were matched by their Chinese labels; the staff member's only unit is the import's.
  await expect(page.getByText("以下必填字段尚未对应文件列")).toHaveCount(0);
  await page.getByRole("button", { name: "校验全部行" }).click();
  await expect(page.getByTestId("import-check-summary")).toHaveText(/校验通过 1,000 行，有问题 0 行/, { timeout: 30_000 });

  await page.getByTestId("import-commit").click();
  await expect(page.getByText("正在导入…")).toBeVisible();
  const progress = page.getByTestId("import-progress");
  await expect(progress).toBeVisible();
  await expect(progress).toContainText("100%", { timeout: 120_000 });
  const result = page.getByTestId("import-result");
  await expect(result).toContainText("导入结果");
  await expect(result.getByRole("cell").nth(0)).toHaveText("1000");
  await expect(page.locator(".ant-table-tbody").last()).toContainText("消费流水.xlsx");

  // The engine earns every imported purchase by the rules; the member's page shows the balance.
  const member = members[0];
  await expect
    .poll(async () => (await api.get(`transactions?member_id=eq.${member.id}&channel=eq.import&select=id`)).total, { timeout: 30_000 })
    .toBe(200);
  await expect
    .poll(async () => (await api.get(`transaction_earnings?member_id=eq.${member.id}&select=transaction_id`)).total, { timeout: 180_000 })
    .toBe(200);
  const balance = Number((await api.get<{ balance: number }>(`point_balances?member_id=eq.${member.id}&select=balance`)).rows[0].balance);
  expect(balance).toBeGreaterThan(0);
  await page.goto(`/members/show/${member.id}`);
  await expect(page.getByRole("heading", { name: `${member.name} · ${member.member_no}` })).toBeVisible();
  await expect(page.getByRole("region", { name: "积分余额" })).toContainText(new RegExp(`积分余额\\s*${String(balance).replace(/\B(?=(\d{3})+(?!\d))/g, ",?")}\\b`));
});
