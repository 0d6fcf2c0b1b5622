import type { Locator } from "@playwright/test";
import { expect, type Page } from "./fixtures";

/** Hotel stays of 1,000 yuan or more by gold members in December 2026 earn the amount × 2 (floored). */
export const HOTEL_DECEMBER_LOGIC = {
  if: [
    {
      and: [
        { "==": [{ var: "transaction.business_unit.kind" }, "hotel"] },
        { ">=": [{ var: "transaction.amount" }, 1000] },
        { "==": [{ var: "member.tier" }, "gold"] },
        { "<=": ["2026-12-01", { add_days: [{ var: "transaction.occurred_at" }, 0] }, "2026-12-31"] },
      ],
    },
    { floor: [{ "*": [{ var: "transaction.amount" }, 2] }] },
    0,
  ],
};

/** Picks an option of the antd select inside `scope` matching `selector`. */
export async function chooseIn(page: Page, scope: Locator, selector: string, option: string) {
  await scope.locator(selector).first().click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: option }).first().click();
}

/** From the rules centre: a new earning draft `key`, its condition and outcome built in the visual editor (no JSON typed). */
export async function buildHotelDecemberRule(page: Page, key: string, name: string) {
  await page.getByRole("menu").getByRole("link", { name: "规则中心", exact: true }).click();
  await page.getByRole("button", { name: "新建规则" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("标识").fill(key);
  await dialog.getByLabel("名称").fill(name);
  await dialog.getByRole("button", { name: "创建草稿" }).click();
  await expect(page).toHaveURL(new RegExp(`/rules/show/${key}$`));
  await expect(page.getByText("草稿 v1", { exact: true })).toBeVisible();

  await expect(page.getByRole("tab", { name: "可视化" })).toHaveAttribute("aria-selected", "true");
  const editor = page.getByTestId("visual-editor");
  await expect(editor.getByTestId("branch-otherwise")).toContainText("结果");

  // One branch: its condition, four comparisons joined by 并且.
  await editor.getByTestId("add-branch").click();
  const branch = editor.getByTestId("branch-0");
  const addRule = branch.getByRole("button", { name: "+ 添加条件", exact: true });
  for (let i = 0; i < 4; i++) await addRule.click();
  const rules = branch.locator(".rule");
  await expect(rules).toHaveCount(4);

  await chooseIn(page, rules.nth(0), ".rule-fields", "消费业态类型");
  await chooseIn(page, rules.nth(0), ".rule-value", "酒店");

  await chooseIn(page, rules.nth(1), ".rule-fields", "消费金额（元）");
  await chooseIn(page, rules.nth(1), ".rule-operators", "大于等于");
  await rules.nth(1).locator(".rule-value input").fill("1000");

  await chooseIn(page, rules.nth(2), ".rule-fields", "会员等级");
  await chooseIn(page, rules.nth(2), ".rule-value", "金卡");

  await chooseIn(page, rules.nth(3), ".rule-fields", "消费时间（日期）");
  await chooseIn(page, rules.nth(3), ".rule-operators", "介于");
  const range = rules.nth(3).locator(".rule-value input");
  await range.nth(0).click();
  await range.nth(0).fill("2026-12-01");
  await range.nth(0).press("Enter");
  await range.nth(1).fill("2026-12-31");
  await range.nth(1).press("Enter");

  // Its outcome: the amount × 2, rounded down.
  const then = branch.getByTestId("block-then-0");
  await chooseIn(page, then, ".ant-select", "积分公式");
  await then.getByLabel("倍数").fill("2");
  await then.getByLabel("倍数").blur();
  await expect(page.getByTestId("logic-check")).toContainText("规则有效");
  return { branch, rules };
}

/** Types `input` into the test bench's sample JSON and saves it as a test case with the result the bench shows. */
export async function saveTestCase(page: Page, name: string, input: unknown, expected: string) {
  await page.getByRole("tab", { name: "样例 JSON" }).click();
  await page.getByRole("textbox", { name: "样例输入（JSON）" }).fill(JSON.stringify(input, null, 2));
  await expect(page.getByTestId("bench-result")).toContainText(expected);
  await page.getByRole("button", { name: "将当前样例保存为测试用例" }).click();
  const dialog = page.getByRole("dialog", { name: "测试用例" });
  await dialog.getByLabel("名称").fill(name);
  await expect(dialog.getByLabel("预期结果")).toHaveValue(expected);
  await dialog.getByRole("button", { name: /^保\s?存$/ }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId("rule-test-cases").getByRole("row", { name: new RegExp(name) })).toBeVisible();
}
