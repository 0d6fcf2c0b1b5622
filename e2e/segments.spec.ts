import { expect, test } from "./fixtures";
import { apiAs, asSuperuser, createMember, signIn, unitId } from "./helpers";
import { chooseIn } from "./rule-steps";

/** Gold members whose last purchase is 90 or more business days ago, counted in plain SQL. */
const INACTIVE_GOLD_SQL = `
  select count(*)::int as n from members m join tiers t on t.id = m.tier_id
  where m.status = 'active' and m.merged_into is null and t.code = 'gold'
    and (select (now() at time zone 'Asia/Shanghai')::date - (max(x.occurred_at) at time zone 'Asia/Shanghai')::date
         from transactions x where x.member_id = m.id and x.occurred_at <= now()) >= 90`;

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
  const expected = await asSuperuser(async (db) => (await db.query(INACTIVE_GOLD_SQL)).rows[0].n as number);
  expect(expected).toBeGreaterThan(0);

  await signIn(page, "marketing@demo.test");
  await page.getByRole("menu").getByText("营销", { exact: true }).click();
  await page.getByRole("menu").getByRole("link", { name: "客群", exact: true }).click();
  await expect(page.getByRole("heading", { name: "客群" })).toBeVisible();
  await page.getByRole("button", { name: "新建客群" }).click();
  const key = `e2e-gold-${Date.now().toString(36)}`;
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("标识").fill(key);
  await dialog.getByLabel("名称").fill("沉睡金卡会员");
  await dialog.getByRole("button", { name: "创建草稿" }).click();
  await expect(page).toHaveURL(new RegExp(`/segments/${key}$`));

  // Built in the visual editor: tier is gold, and 90 or more days since the last purchase.
  const condition = page.getByTestId("segment-condition");
  const addRule = condition.getByRole("button", { name: "+ 添加条件", exact: true });
  await addRule.click();
  await addRule.click();
  const rules = condition.locator(".rule");
  await expect(rules).toHaveCount(2);
  await chooseIn(page, rules.nth(0), ".rule-fields", "会员等级");
  await chooseIn(page, rules.nth(0), ".rule-value", "金卡");
  await chooseIn(page, rules.nth(1), ".rule-fields", "距最近消费天数");
  await chooseIn(page, rules.nth(1), ".rule-operators", "大于等于");
  await rules.nth(1).locator(".rule-value input").fill("90");

  // The live count is what plain SQL counts, with a sample of the members.
  const preview = page.getByTestId("segment-preview");
  await expect(preview.locator(".ant-statistic-content")).toHaveText(expected.toLocaleString("en-US"), { timeout: 15_000 });
  await expect(preview.locator(".ant-table-row").first()).toBeVisible();

  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByText("草稿已保存")).toBeVisible();
  const saved = await asSuperuser(async (db) => (await db.query("select logic from segment_definitions where key = $1", [key])).rows[0].logic);
  expect(saved).toEqual({ and: [{ "==": [{ var: "member.tier" }, "gold"] }, { ">=": [{ var: "stats.days_since_purchase" }, 90] }] });

  await page.getByRole("button", { name: /^发\s?布$/ }).click();
  await expect(page.getByText("已发布，引擎正在刷新成员")).toBeVisible();
  await expect(page.getByText("当前成员（v1）")).toBeVisible({ timeout: 30_000 });
  const stored = await asSuperuser(async (db) => (await db.query("select members from segment_refreshes where segment_key = $1", [key])).rows[0].members);
  expect(stored).toBe(expected);
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
