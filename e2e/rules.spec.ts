import { expect, test } from "./fixtures";
import { apiAs, signIn } from "./helpers";

/** antd puts a space between two CJK characters of a button ("发 布"). */
const PUBLISH = /^发\s?布$/;

test("admin: rules list, new draft, live validation, test bench, what-if (nothing published)", async ({ page }) => {
  test.setTimeout(180_000);
  const api = await apiAs("admin@demo.test");
  await signIn(page, "admin@demo.test");
  await page.getByRole("menu").getByRole("link", { name: "规则中心", exact: true }).click();
  await expect(page).toHaveURL(/\/rules$/);

  // The earning tab: the group's combination policy and the seeded rules; the expiry run is offered.
  await expect(page.getByText("组合策略")).toBeVisible();
  await expect(page.getByText("累加", { exact: true })).toBeVisible();
  const base = page.getByRole("link", { name: "shopping-base", exact: true });
  await expect(base).toBeVisible();
  await expect(page.getByRole("link", { name: "hotel-stay-double", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "立即执行积分过期" })).toBeVisible();

  // Open the rule: its versions, the one in force read-only.
  await base.click();
  await expect(page).toHaveURL(/\/rules\/show\/shopping-base$/);
  await expect(page.getByRole("heading", { name: /^规则：消费积分：每元1分/ })).toBeVisible();
  const { rows: before } = await api.get<{ version: number }>("rules?key=eq.shopping-base&select=version&order=version.desc");
  const { rows: inForce } = await api.get<{ logic: unknown }>("rules?key=eq.shopping-base&status=eq.published&select=logic");
  const baseLogic = inForce[0].logic;
  const next = before[0].version + 1;

  // New draft from this version: version max + 1, selected, editable.
  await page.getByRole("button", { name: "从此版本新建草稿" }).click();
  await expect(page.getByText(`草稿 v${next}`, { exact: true })).toBeVisible();
  try {
    await page.getByRole("tab", { name: "JSON", exact: true }).click();
    const logic = page.getByLabel("规则逻辑（JSON-logic）");
    await expect(logic).toBeEditable();
    const check = page.getByTestId("logic-check");
    const bench = page.getByTestId("bench-result");
    await expect(check).toContainText("规则有效");
    // The sample (gold member, 188.80 yuan): 188.8 × 1.5 = 283.2 → 283 points.
    await expect(bench).toContainText("283");

    // An unknown operation: the fault with its JSON-pointer path.
    await logic.fill(JSON.stringify({ floor: [{ "*": [{ var: "transaction.amount" }, { bogus: [2] }] }] }, null, 2));
    await expect(check).toContainText("规则有 1 处问题");
    await expect(check).toContainText("/floor/0/*/1/bogus");
    await expect(check).toContainText("未知的运算“bogus”");
    await expect(page.getByRole("button", { name: PUBLISH })).toBeDisabled();

    // Back to an unchanged copy of the version in force: the what-if shows no difference, named units and tiers.
    await logic.fill(JSON.stringify(baseLogic, null, 2));
    await expect(check).toContainText("规则有效");
    const whatIf = page.getByTestId("what-if");
    await expect(whatIf.getByLabel("回溯天数")).toHaveValue("30");
    await whatIf.getByRole("button", { name: "开始测算" }).click();
    await expect(whatIf.getByRole("progressbar")).toBeVisible();
    await expect(whatIf.getByText("已完成")).toBeVisible({ timeout: 120_000 });
    const result = whatIf.getByTestId("what-if-result");
    for (const header of ["现行规则积分", "含本草稿积分", "积分差额", "未过期积分（负债）变化", "当时实际发放（参考）"]) {
      await expect(result.getByRole("columnheader", { name: header })).toBeVisible();
    }
    await expect(result).toContainText("星河购物中心");
    await expect(result).toContainText("普卡");
    await expect(result).not.toContainText("standard");
    const totals = result.locator(".ant-table-summary tr").first().locator("td");
    await expect(totals.nth(4)).toHaveText("0"); // 积分差额
    await expect(totals.nth(5)).toHaveText("0"); // 负债变化

    // 3 points per yuan → 566 on the bench; the what-if now shows more points than the rules in force.
    await logic.fill(JSON.stringify({ floor: [{ "*": [{ var: "transaction.amount" }, 3] }] }, null, 2));
    await expect(check).toContainText("规则有效");
    await expect(bench).toContainText("566");
    await expect(page.getByText("有未保存的修改")).toBeVisible();
    await whatIf.getByRole("button", { name: "开始测算" }).click();
    await expect(whatIf.getByText("已完成")).toBeVisible({ timeout: 120_000 });
    await expect(totals.nth(4)).toHaveText(/^\+[\d,]+$/);
    await expect(result).toContainText("合计");
    await expect(whatIf).toContainText(`shopping-base v${next}（草稿）`);
    await expect(page.getByText("有未保存的修改")).toHaveCount(0);
    const { rows: saved } = await api.get<{ status: string; logic: unknown }>(`rules?key=eq.shopping-base&version=eq.${next}&select=status,logic`);
    expect(saved[0]).toEqual({ status: "draft", logic: { floor: [{ "*": [{ var: "transaction.amount" }, 3] }] } });
  } finally {
    // Leave nothing behind: delete the draft (never published here: it would change earning for other tests).
    await page.getByRole("button", { name: "删除草稿" }).click();
    await page.getByRole("tooltip").getByRole("button", { name: "删除草稿" }).click();
    await expect(page.getByText(`草稿 v${next}`, { exact: true })).toHaveCount(0);
  }
  const { rows: after } = await api.get<{ status: string }>("rules?key=eq.shopping-base&select=status");
  expect(after.map((r) => r.status)).not.toContain("draft");
});

test("analyst: sees the rules read-only", async ({ page }) => {
  await signIn(page, "analyst@demo.test");
  await page.getByRole("menu").getByRole("link", { name: "规则中心", exact: true }).click();
  await expect(page.getByRole("link", { name: "shopping-base", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "立即执行积分过期" })).toHaveCount(0);
  await page.getByRole("link", { name: "shopping-base", exact: true }).click();
  await expect(page.getByRole("heading", { name: /^规则：消费积分：每元1分/ })).toBeVisible();
  await page.getByRole("tab", { name: "JSON", exact: true }).click();
  await expect(page.getByLabel("规则逻辑（JSON-logic）")).not.toBeEditable();
  await expect(page.getByTestId("bench-result")).toContainText("283");
  await expect(page.getByRole("button", { name: "从此版本新建草稿" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: PUBLISH })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "删除草稿" })).toHaveCount(0);
});
