import { expect, test } from "./fixtures";
import { apiAs, asSuperuser, createMember, signIn, unitId } from "./helpers";
import { chooseIn } from "./rule-steps";
import { buildInactiveGoldSegment, inactiveGoldCount } from "./segment-steps";

test("an operations user builds a segment of gold members inactive for 90 days, sees the live count and publishes it", async ({ page }) => {
  // At least one such member: gold, last purchase 200 days ago.
  const staff = await apiAs("staff@demo.test");
  const member = await createMember(staff, "沉睡金卡");
  const mall = await unitId(staff, "mall");
  await asSuperuser(async (db) => {
    await db.query("update members set tier_id = (select id from tiers where code = 'gold') where id = $1", [member.id]);
    await db.query("insert into transactions (business_unit_id, order_no, member_id, amount, occurred_at) values ($1, $2, $3, 88, now() - interval '200 days')",
      [mall, `E2E-SEG-${Date.now()}`, member.id]);
  });
  expect(await inactiveGoldCount()).toBeGreaterThan(0);

  await signIn(page, "marketing@demo.test");
  await buildInactiveGoldSegment(page, `e2e-gold-${Date.now().toString(36)}`, "沉睡金卡会员");
});

test("a staff user sees a care task of their unit and records a follow-up, which closes it", async ({ page }) => {
  const staff = await apiAs("staff@demo.test");
  const member = await createMember(staff, "关怀会员");
  const mall = await unitId(staff, "mall");
  const tag = `流失${Date.now().toString(36).slice(-5)}`;
  await asSuperuser(async (db) => {
    await db.query("update members set tags = array[$2] where id = $1", [member.id, tag]);
    await db.query("insert into care_triggers (name, source, tag, business_unit_id, due_days) values ('流失预警关怀', 'tag', $1, $2, 3)", [tag, mall]);
    await db.query("select open_care_tasks()");
  });

  await signIn(page, "staff@demo.test");
  await page.getByRole("menu").getByText("营销", { exact: true }).click();
  await page.getByRole("menu").getByRole("link", { name: "客户关怀", exact: true }).click();
  const row = page.locator(".ant-table-row", { hasText: member.member_no });
  await expect(row).toContainText("流失预警关怀");
  await row.getByRole("button", { name: "记录跟进" }).click();

  const dialog = page.getByRole("dialog");
  await chooseIn(page, dialog, "#outcome", "有意向");
  await dialog.getByLabel("跟进内容").fill("电话回访，会员下周到店");
  await dialog.getByRole("button", { name: "保存跟进" }).click();
  await expect(page.getByText("跟进已记录")).toBeVisible();
  await expect(page.locator(".ant-table-row", { hasText: member.member_no })).toHaveCount(0);

  // The member 360 page's 跟进 tab shows it.
  await page.goto(`/members/show/${member.id}`);
  await page.getByRole("tab", { name: "跟进" }).click();
  await expect(page.getByRole("tabpanel")).toContainText("电话回访，会员下周到店");
  await expect(page.getByRole("tabpanel")).toContainText("有意向");

  const task = await asSuperuser(async (db) => {
    await db.query("update care_triggers set active = false where tag = $1", [tag]);
    return (await db.query("select status from care_tasks where member_id = $1", [member.id])).rows;
  });
  expect(task).toEqual([{ status: "closed" }]);
});
