import { expect, test, type Page } from "./fixtures";
import { apiAs, asSuperuser, signIn } from "./helpers";

// One rule key per run, removed afterwards.
const KEY = `e2e-hotel-dec-${Date.now().toString(36)}`;
const LEAVE = "有尚未保存的修改，确定离开吗？";

/** Hotel stays of 1,000 yuan or more by gold members in December 2026 earn the amount × 2 (floored). */
const EXPECTED = {
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

test.afterAll(async () => {
  await asSuperuser((db) => db.query("delete from rules where key = $1", [KEY]), { bypassTriggers: true });
});

/** Picks an option of the antd select inside `scope` matching `selector`. */
async function choose(page: Page, scope: ReturnType<Page["locator"]>, selector: string, option: string) {
  await scope.locator(selector).first().click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: option }).first().click();
}

test("marketing staff build an earning rule visually, see the same logic as JSON and save it", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "marketing@demo.test");
  await page.getByRole("menu").getByRole("link", { name: "规则中心", exact: true }).click();
  await page.getByRole("button", { name: "新建规则" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("标识").fill(KEY);
  await dialog.getByLabel("名称").fill("酒店金卡12月双倍积分");
  await dialog.getByRole("button", { name: "创建草稿" }).click();
  await expect(page).toHaveURL(new RegExp(`/rules/show/${KEY}$`));
  await expect(page.getByText("草稿 v1", { exact: true })).toBeVisible();

  // The visual view is the first: the starting rule (0 points) as an outcome block.
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

  await choose(page, rules.nth(0), ".rule-fields", "消费业态类型");
  await choose(page, rules.nth(0), ".rule-value", "酒店");

  await choose(page, rules.nth(1), ".rule-fields", "消费金额（元）");
  await choose(page, rules.nth(1), ".rule-operators", "大于等于");
  await rules.nth(1).locator(".rule-value input").fill("1000");

  await choose(page, rules.nth(2), ".rule-fields", "会员等级");
  await choose(page, rules.nth(2), ".rule-value", "金卡");

  await choose(page, rules.nth(3), ".rule-fields", "消费时间（日期）");
  await choose(page, rules.nth(3), ".rule-operators", "介于");
  const range = rules.nth(3).locator(".rule-value input");
  await range.nth(0).click();
  await range.nth(0).fill("2026-12-01");
  await range.nth(0).press("Enter");
  await range.nth(1).fill("2026-12-31");
  await range.nth(1).press("Enter");

  // Its outcome: the amount × 2, rounded down.
  const then = branch.getByTestId("block-then-0");
  await choose(page, then, ".ant-select", "积分公式");
  await then.getByLabel("倍数").fill("2");
  await then.getByLabel("倍数").blur();

  // The JSON view shows the same logic, and the check passes.
  await expect(page.getByTestId("logic-check")).toContainText("规则有效");
  await page.getByRole("tab", { name: "JSON", exact: true }).click();
  const json = page.getByLabel("规则逻辑（JSON-logic）");
  await expect.poll(async () => JSON.parse(await json.inputValue()) as unknown).toEqual(EXPECTED);

  // Unsaved: leaving through the menu asks first; staying keeps the work.
  await expect(page.getByText("未保存")).toBeVisible();
  const asked = new Promise<void>((resolve, reject) => {
    page.once("dialog", async (d) => {
      try {
        expect(d.type()).toBe("confirm");
        expect(d.message()).toBe(LEAVE);
        await d.dismiss();
        resolve();
      } catch (error) {
        reject(error as Error);
      }
    });
  });
  await page.getByRole("menu").getByRole("link", { name: "规则中心", exact: true }).click();
  await asked;
  await expect(page).toHaveURL(new RegExp(`/rules/show/${KEY}$`));

  // Saved: the draft in the database holds exactly that logic.
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByText("未保存")).toHaveCount(0);
  const api = await apiAs("marketing@demo.test");
  const { rows } = await api.get<{ logic: unknown; status: string }>(`rules?key=eq.${KEY}&select=logic,status`);
  expect(rows).toEqual([{ logic: EXPECTED, status: "draft" }]);

  // A JSON edit the visual editor can show updates it; one it cannot show keeps the raw view only.
  const edited = structuredClone(EXPECTED);
  (edited.if[0] as { and: { ">=": unknown[] }[] }).and[1][">="][1] = 2000;
  await json.fill(JSON.stringify(edited, null, 2));
  await page.getByRole("tab", { name: "可视化" }).click();
  await expect(rules.nth(1).locator(".rule-value input")).toHaveValue("2000");

  // A fault (an in-list longer than the evaluator takes): its JSON path under the raw view, its condition in red in the visual one.
  const tooLong = { if: [{ in: [{ var: "transaction.order_no" }, Array.from({ length: 1001 }, (_, i) => `T-${i}`)] }, 5, 0] };
  await page.getByRole("tab", { name: "JSON", exact: true }).click();
  await json.fill(JSON.stringify(tooLong));
  await expect(page.getByTestId("logic-check")).toContainText("/if/0/in/1");
  await page.getByRole("tab", { name: "可视化" }).click();
  await expect(branch.locator("[data-fault]")).toHaveCount(1);
  await expect(branch.locator(".rule.rule-fault")).toHaveCount(1);
  await expect(branch).toContainText("此处有错误");

  await page.getByRole("tab", { name: "JSON", exact: true }).click();
  const raw = JSON.stringify({ "+": [{ var: "transaction.amount" }, 1] });
  await json.fill(raw);
  await expect(page.getByTestId("raw-only")).toBeVisible();
  await expect(page.getByRole("tab", { name: "可视化" })).toHaveAttribute("aria-disabled", "true");
  await expect(json).toHaveValue(raw);
});
