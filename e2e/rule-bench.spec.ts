import type { Page } from "./fixtures";
import { expect, test } from "./fixtures";
import { apiAs, asSuperuser, signIn } from "./helpers";
import { saveTestCase } from "./rule-steps";

/** antd puts a space between two CJK characters of a button ("发 布"). */
const PUBLISH = /^发\s?布$/;
const DOUBLE = { if: [{ ">=": [{ var: "transaction.amount" }, 100] }, { "*": [{ var: "transaction.amount" }, 2] }, 0] };
const sample = (amount: number) => ({
  transaction: { amount, channel: "pos", occurred_at: "2026-03-10T02:00:00.000Z", order_no: "T-1", items: [], business_unit: { code: "mall", kind: "mall" } },
  member: { tier: "gold", tags: [], birthday: "1990-03-25", growth_value: 10, joined_at: "2024-05-01T08:00:00.000Z", status: "active", home_business_unit: "mall" },
});

/** Saves the sample of a purchase of `amount` as a test case with the result the bench shows. */
const saveCase = (page: Page, name: string, amount: number, expected: string) => saveTestCase(page, name, sample(amount), expected);

/**
 * An administrator adds two test cases to a draft (one where the rule's condition holds, one where it does not),
 * runs them on the rules engine and publishes; a failing case blocks publishing with a clear message, and the
 * database refuses too.
 */
test("admin: test cases on the bench gate publishing", async ({ page }) => {
  test.setTimeout(180_000);
  const tag = Date.now().toString(36);
  const key = `e2e-bench-${tag}`;
  const unit = await asSuperuser(async (db) => {
    const u = (await db.query("insert into business_units (code, name, kind) values ($1, $2, 'mall') returning id", [`e2e-b-${tag}`, `测试台 ${tag}`])).rows[0].id;
    await db.query("insert into rule_sets (kind, business_unit_id, combination) values ('earning', $1, 'sum'), ('expiry', $1, 'first')", [u]);
    await db.query("insert into rules (key, version, kind, business_unit_id, name, logic) values ($1, 1, 'earning', $2, '满百翻倍', $3)", [key, u, JSON.stringify(DOUBLE)]);
    return u as string;
  });
  const api = await apiAs("admin@demo.test");
  try {
    await signIn(page, "admin@demo.test");
    await expect(page.getByRole("menu").getByRole("link", { name: "规则中心", exact: true })).toBeVisible();
    await page.goto(`/rules/show/${key}`);
    await expect(page.getByText("草稿 v1", { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId("rule-test-cases")).toContainText("暂无测试用例");

    // The sample form comes from the kind's context fields.
    await expect(page.getByLabel("消费金额（元）")).toBeVisible();
    // A recent transaction fills the sample as the engine builds it: its order number and its member's tier.
    await page.getByRole("combobox", { name: "从近期交易填入" }).click();
    await page.locator(".ant-select-dropdown .ant-select-item-option").first().click();
    const filled = page.getByText(/^已填入交易 .+ 及其会员的数据$/);
    await expect(filled).toBeVisible();
    const order = /^已填入交易 (.+) 及其会员的数据$/.exec((await filled.textContent()) ?? "")![1];
    const { rows: [picked] } = await api.get<{ amount: number }>(`transactions?select=amount&order_no=eq.${encodeURIComponent(order)}`);
    await page.getByRole("tab", { name: "样例 JSON" }).click();
    const json = page.getByRole("textbox", { name: "样例输入（JSON）" });
    await expect(json).toHaveValue(new RegExp(`"order_no": "${order}"`));
    await expect(json).toHaveValue(new RegExp(`"amount": ${Number(picked.amount)}[,\\n]`));

    await saveCase(page, "满百翻倍", 150, "300");
    // The trace: the first branch of the if, its comparison true.
    await expect(page.getByTestId("bench-trace")).toContainText("命中第 1 个分支");
    await saveCase(page, "不满百不送", 50, "0");
    await expect(page.getByTestId("bench-trace")).toContainText("命中“否则”分支");
    await expect(page.getByTestId("bench-trace")).toContainText("不成立");

    const cases = page.getByTestId("rule-test-cases");
    await cases.getByRole("button", { name: "运行测试用例" }).click();
    await expect(cases.getByTestId("rule-test-verdict")).toContainText("引擎验证通过：2 条用例全部通过", { timeout: 30_000 });

    // A failing case: expecting points below 100 yuan.
    await cases.getByRole("row", { name: /不满百不送/ }).getByRole("button", { name: "编辑" }).click();
    const dialog = page.getByRole("dialog", { name: "测试用例" });
    await dialog.getByLabel("预期结果").fill("50");
    await dialog.getByRole("button", { name: /^保\s?存$/ }).click();
    await expect(cases.getByRole("row", { name: /不满百不送/ })).toContainText("未通过");

    // The database refuses it without a passing run on this case set ...
    const direct = await api.raw("rpc/publish_rule", { method: "POST", body: { p_key: key, p_version: 1 } });
    expect(((await direct.json()) as { hint: string }).hint).toBe("rule_tests_unverified");
    // ... and publishing from the page runs the cases and stops with the count.
    await page.getByRole("button", { name: PUBLISH }).click();
    await page.getByRole("dialog").getByRole("button", { name: PUBLISH }).click();
    await expect(page.getByText("该规则的 2 条测试用例中有 1 条未通过").first()).toBeVisible({ timeout: 30_000 });
    const { rows: still } = await api.get<{ status: string }>(`rules?key=eq.${key}&select=status`);
    expect(still).toEqual([{ status: "draft" }]);
    await expect(cases.getByTestId("rule-test-verdict")).toContainText("2 条用例中 1 条失败");

    // Fixed: it publishes.
    await cases.getByRole("row", { name: /不满百不送/ }).getByRole("button", { name: "编辑" }).click();
    await dialog.getByLabel("预期结果").fill("0");
    await dialog.getByRole("button", { name: /^保\s?存$/ }).click();
    await expect(cases.getByRole("row", { name: /不满百不送/ })).not.toContainText("未通过");
    await page.getByRole("button", { name: PUBLISH }).click();
    await page.getByRole("dialog").getByRole("button", { name: PUBLISH }).click();
    await expect(page.getByText("已发布 v1").first()).toBeVisible({ timeout: 30_000 });
    const { rows: done } = await api.get<{ status: string }>(`rules?key=eq.${key}&select=status`);
    expect(done).toEqual([{ status: "published" }]);
  } finally {
    await asSuperuser((db) => db.query("update business_units set active = false where id = $1", [unit]));
  }
});
