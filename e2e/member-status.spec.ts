import { expect, test } from "./fixtures";
import { apiAs, createMember, signIn, unitId } from "./helpers";

test("a unit manager freezes a member with a reason, the points buttons say why they are off, and unfreezes", async ({ page }) => {
  const staff = await apiAs("staff@demo.test");
  const member = await createMember(staff, "E2E冻结", { home_business_unit_id: await unitId(staff, "mall") });
  await signIn(page, "mall.manager@demo.test");
  await expect(page.getByRole("menu")).toBeVisible();
  await page.goto(`/members/show/${member.id}`);
  await expect(page.getByRole("heading", { name: `${member.name} · ${member.member_no}` })).toBeVisible();
  const record = page.getByRole("button", { name: "录入消费" });
  await expect(record).toBeEnabled();

  await page.getByRole("button", { name: "变更状态" }).click();
  const dialog = page.getByRole("dialog", { name: "变更会员状态" });
  await dialog.getByRole("radio", { name: "冻结" }).check();
  await expect(dialog).toContainText("冻结期间会员不能积分或兑换");
  await dialog.getByRole("button", { name: "确认变更" }).click();
  await expect(dialog).toContainText("请填写变更原因");
  await dialog.getByLabel("原因").fill("会员来电挂失，暂停使用");
  await dialog.getByRole("button", { name: "确认变更" }).click();
  const confirm = page.getByRole("dialog", { name: "确认将会员状态改为「冻结」？" });
  await confirm.getByRole("button", { name: "确认变更" }).click();
  await expect(dialog).toContainText("会员状态已改为「冻结」");
  await dialog.getByRole("button", { name: /^关\s?闭$/ }).click();

  await expect(page.getByRole("main").getByText("冻结", { exact: true })).toBeVisible();
  await expect(record).toBeDisabled();
  await record.hover({ force: true });
  await expect(page.getByRole("tooltip")).toHaveText("会员状态为「冻结」，不能积分、兑换或调整积分");
  const { rows } = await staff.get<{ status: string }>(`members?id=eq.${member.id}&select=status`);
  expect(rows[0].status).toBe("frozen");

  await page.getByRole("button", { name: "变更状态" }).click();
  const again = page.getByRole("dialog", { name: "变更会员状态" });
  await again.getByRole("radio", { name: "正常" }).check();
  await again.getByLabel("原因").fill("已核实本人，恢复使用");
  await again.getByRole("button", { name: "确认变更" }).click();
  await page.getByRole("dialog", { name: "确认将会员状态改为「正常」？" }).getByRole("button", { name: "确认变更" }).click();
  await expect(again).toContainText("会员状态已改为「正常」");
  await again.getByRole("button", { name: /^关\s?闭$/ }).click();
  await expect(record).toBeEnabled();
});

test("staff see no status action; a manager of another unit is refused by the server with the reason", async ({ page }) => {
  const staff = await apiAs("staff@demo.test");
  const member = await createMember(staff, "E2E越权", { home_business_unit_id: await unitId(staff, "mall") });
  await signIn(page, "staff@demo.test");
  await expect(page.getByRole("menu")).toBeVisible();
  await page.goto(`/members/show/${member.id}`);
  await expect(page.getByRole("heading", { name: `${member.name} · ${member.member_no}` })).toBeVisible();
  await expect(page.getByRole("button", { name: "录入消费" })).toBeVisible();
  await expect(page.getByRole("button", { name: "变更状态" })).toHaveCount(0);

  const hotelManager = await apiAs("manager@demo.test");
  await expect(hotelManager.post("rpc/set_member_status", { p_member_id: member.id, p_status: "frozen", p_reason: "越权尝试" }))
    .rejects.toMatchObject({ status: 403 });
});
