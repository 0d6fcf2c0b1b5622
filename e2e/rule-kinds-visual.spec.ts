import { expect, test, type Page } from "./fixtures";
import { apiAs, asSuperuser, signIn } from "./helpers";
import { chooseIn } from "./rule-steps";

const RUN = Date.now().toString(36);
const EXPIRY_KEY = `e2e-months-${RUN}`;
const TIER_KEY = `e2e-tier-${RUN}`;
const TAG = `贵宾${RUN}`.slice(0, 20);

test.afterAll(async () => {
  await asSuperuser((db) => db.query("delete from rule_test_cases where rule_key = any($1)", [[EXPIRY_KEY, TIER_KEY]]), { bypassTriggers: true });
  await asSuperuser((db) => db.query("delete from rule_test_verdicts where rule_key = any($1)", [[EXPIRY_KEY, TIER_KEY]]), { bypassTriggers: true });
  await asSuperuser((db) => db.query("delete from rules where key = any($1)", [[EXPIRY_KEY, TIER_KEY]]), { bypassTriggers: true });
});

/** From the rules centre's tab of the kind labelled `kindLabel`: a new draft `key`, opened in the visual editor. */
async function newDraft(page: Page, kindLabel: string, key: string, name: string) {
  await expect(page.getByRole("heading", { name: /^您好，.+/ })).toBeVisible();
  await page.getByRole("menu").getByRole("link", { name: "规则中心", exact: true }).click();
  await page.getByRole("tab", { name: kindLabel, exact: true }).click();
  await expect(page.getByRole("tab", { name: kindLabel, exact: true })).toHaveAttribute("aria-selected", "true");
  await page.getByRole("button", { name: "新建规则" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("标识").fill(key);
  await dialog.getByLabel("名称").fill(name);
  await dialog.getByRole("button", { name: "创建草稿" }).click();
  await expect(page).toHaveURL(new RegExp(`/rules/show/${key}$`));
  await expect(page.getByRole("tab", { name: "可视化" })).toHaveAttribute("aria-selected", "true", { timeout: 45_000 });
}

/** Saves the bench's current sample as a test case expecting `expected` (JSON text), then runs the cases on the engine. */
async function saveAndVerify(page: Page, name: string, expected: string) {
  await page.getByRole("button", { name: "将当前样例保存为测试用例" }).click();
  const dialog = page.getByRole("dialog", { name: "测试用例" });
  await dialog.getByLabel("名称").fill(name);
  await expect(dialog.getByLabel("预期结果")).toHaveValue(expected);
  await dialog.getByRole("button", { name: /^保\s?存$/ }).click();
  await expect(dialog).toHaveCount(0);
  const cases = page.getByTestId("rule-test-cases");
  await cases.getByRole("button", { name: "运行测试用例" }).click();
  await expect(cases.getByTestId("rule-test-verdict")).toContainText("引擎验证通过：1 条用例全部通过", { timeout: 60_000 });
}

test("an expiry rule 'valid until one month after it was earned' is built visually, shown as JSON and passes its test case", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "marketing@demo.test");
  await newDraft(page, "积分有效期", EXPIRY_KEY, `获得后1个月到期 ${RUN}`);

  const always = page.getByTestId("block-otherwise");
  await chooseIn(page, always, ".ant-select", "N个月后");
  await expect(always.getByRole("combobox", { name: "所依据的日期" })).toBeVisible();
  await always.getByLabel("几个月后到期").fill("1");
  await always.getByLabel("几个月后到期").blur();
  await expect(page.getByTestId("logic-check")).toContainText("规则有效");

  await page.getByRole("tab", { name: "JSON", exact: true }).click();
  const json = page.getByLabel("规则逻辑（JSON-logic）");
  await expect.poll(async () => JSON.parse(await json.inputValue()) as unknown).toEqual({ add_months: [{ var: "lot.earned_at" }, 1] });
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByText("未保存")).toHaveCount(0);

  // Earned on 31 January (China time): one calendar month later is the end of February, not 3 March.
  await page.getByRole("tab", { name: "样例 JSON" }).click();
  const input = page.getByRole("textbox", { name: "样例输入（JSON）" });
  const sample = JSON.parse(await input.inputValue()) as { lot: { earned_at: string } };
  sample.lot.earned_at = "2026-01-31T02:00:00.000Z";
  await input.fill(JSON.stringify(sample, null, 2));
  await expect(page.getByTestId("bench-result")).toContainText("2026-02-28");
  await saveAndVerify(page, "一月底获得", '"2026-02-28"');
});

test("a tier rule 'members tagged VIP hold at least gold' is built visually, filled from a real member and tested", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "marketing@demo.test");
  await newDraft(page, "等级", TIER_KEY, `贵宾至少金卡 ${RUN}`);

  const editor = page.getByTestId("visual-editor");
  await editor.getByTestId("add-branch").click();
  const branch = editor.getByTestId("branch-0");
  await branch.getByRole("button", { name: "+ 添加条件", exact: true }).click();
  const rule = branch.locator(".rule").first();
  await chooseIn(page, rule, ".rule-fields", "会员标签");
  await rule.locator("input.rule-value, .rule-value input").first().fill(TAG);
  const then = branch.getByTestId("block-then-0");
  await chooseIn(page, then, ".ant-select", "等级门槛");
  await chooseIn(page, then, '[data-testid="block-then-0-tier"]', "金卡");
  await expect(page.getByTestId("logic-check")).toContainText("规则有效");

  await page.getByRole("tab", { name: "JSON", exact: true }).click();
  const json = page.getByLabel("规则逻辑（JSON-logic）");
  await expect.poll(async () => JSON.parse(await json.inputValue()) as unknown)
    .toEqual({ if: [{ has_tag: [{ var: "member.tags" }, TAG] }, "gold", ""] });
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByText("未保存")).toHaveCount(0);

  // The bench fills its sample from a real member (no transaction needed for a tier rule).
  const picker = page.getByTestId("bench-member-picker");
  await picker.click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option").first().click();
  await expect(page.getByText(/已填入会员 .+ 的数据/)).toBeVisible();
  await page.getByRole("tab", { name: "样例 JSON" }).click();
  const input = page.getByRole("textbox", { name: "样例输入（JSON）" });
  const picked = JSON.parse(await input.inputValue()) as { member: { tags: string[]; status: string }; now: string };
  expect(picked.member.status).toBe("active");
  expect(picked).not.toHaveProperty("transaction");
  picked.member.tags = [...picked.member.tags, TAG];
  await input.fill(JSON.stringify(picked, null, 2));
  await expect(page.getByTestId("bench-result")).toContainText("gold");
  await saveAndVerify(page, "贵宾会员", '"gold"');

  const marketing = await apiAs("marketing@demo.test");
  const { rows } = await marketing.get<{ status: string }>(`rules?key=eq.${TIER_KEY}&select=status`);
  expect(rows).toEqual([{ status: "draft" }]);
});
