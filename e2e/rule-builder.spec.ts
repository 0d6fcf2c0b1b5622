import { expect, test } from "./fixtures";
import { apiAs, asSuperuser, signIn } from "./helpers";
import { buildHotelDecemberRule, HOTEL_DECEMBER_LOGIC as EXPECTED } from "./rule-steps";

// One rule key per run, removed afterwards.
const KEY = `e2e-hotel-dec-${Date.now().toString(36)}`;
const LEAVE = "有尚未保存的修改，确定离开吗？";

test.afterAll(async () => {
  await asSuperuser((db) => db.query("delete from rules where key = $1", [KEY]), { bypassTriggers: true });
});

test("marketing staff build an earning rule visually, see the same logic as JSON and save it", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "marketing@demo.test");
  const { branch, rules } = await buildHotelDecemberRule(page, KEY, "酒店金卡12月双倍积分");

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
