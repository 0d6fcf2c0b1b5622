import { expect, type Page } from "./fixtures";
import { asSuperuser } from "./helpers";
import { chooseIn } from "./rule-steps";

/** Gold members whose last purchase is 90 or more business days ago, counted in plain SQL. */
export const INACTIVE_GOLD_SQL = `
  select count(*)::int as n from members m join tiers t on t.id = m.tier_id
  where m.status = 'active' and m.merged_into is null and t.code = 'gold'
    and (select (now() at time zone 'Asia/Shanghai')::date - (max(x.occurred_at) at time zone 'Asia/Shanghai')::date
         from transactions x where x.member_id = m.id and x.occurred_at <= now()) >= 90`;

export const inactiveGoldCount = () => asSuperuser(async (db) => (await db.query(INACTIVE_GOLD_SQL)).rows[0].n as number);

/**
 * As a signed-in marketing user: 营销 → 客群 → 新建客群, the condition "tier is gold and 90 or more days since the last
 * purchase" built in the visual editor, the live count checked against plain SQL, saved and published; resolves once
 * the engine stored the members, with their number.
 */
export async function buildInactiveGoldSegment(page: Page, key: string, name: string): Promise<number> {
  const expected = await inactiveGoldCount();
  await page.getByRole("menu").getByText("营销", { exact: true }).click();
  await page.getByRole("menu").getByRole("link", { name: "客群", exact: true }).click();
  await expect(page.getByRole("heading", { name: "客群" })).toBeVisible();
  await page.getByRole("button", { name: "新建客群" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("标识").fill(key);
  await dialog.getByLabel("名称").fill(name);
  await dialog.getByRole("button", { name: "创建草稿" }).click();
  await expect(page).toHaveURL(new RegExp(`/segments/${key}$`));

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
  return stored as number;
}
