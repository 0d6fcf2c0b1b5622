import { expect, test, type Page } from "./fixtures";
import { apiAs, createMember, signIn, unitId } from "./helpers";

/** Lines the content of an element takes: the height of its contents over its line height. */
async function lines(page: Page, selector: string) {
  return page.locator(selector).evaluateAll((cells) =>
    cells.map((cell) => {
      const range = document.createRange();
      range.selectNodeContents(cell);
      const lineHeight = parseFloat(getComputedStyle(cell).lineHeight);
      return { text: cell.textContent, lines: Math.round(range.getBoundingClientRect().height / lineHeight) };
    }),
  );
}

test("at 1440 px numbers, dates and codes stay on one line: ledger amount, rules list", async ({ page }) => {
  test.setTimeout(240_000);
  const api = await apiAs("staff@demo.test");
  const member = await createMember(api, "不换行");
  const { transaction_id: id } = await api.post<{ transaction_id: string }>("rpc/record_transaction", {
    p_member_id: member.id,
    p_business_unit_id: await unitId(api, "mall"),
    p_order_no: `E2E-WRAP-${Date.now()}`,
    p_amount: 2351,
  });
  await expect.poll(async () => (await api.get(`transaction_earnings?transaction_id=eq.${id}&select=transaction_id`)).total, { timeout: 30_000 }).toBe(1);

  await signIn(page, "admin@demo.test");
  await expect(page.getByRole("menu")).toBeVisible();
  await page.goto(`/members/show/${member.id}`);
  await page.getByRole("tab", { name: "积分流水" }).click();
  const amount = page.getByRole("tabpanel").locator(".ant-table-tbody td", { hasText: /^\+\d{1,3}(,\d{3})+$/ }).first();
  await expect(amount).toBeVisible();
  for (const cell of await lines(page, ".ant-tabs-tabpane-active .ant-table-tbody tr:first-child td.cell-one-line")) {
    expect(cell, `ledger cell "${cell.text}"`).toMatchObject({ lines: 1 });
  }

  await page.getByRole("menu").getByRole("link", { name: "规则中心", exact: true }).click();
  await expect(page.getByText("累加", { exact: true })).toBeVisible();
  const combination = await lines(page, "[data-testid=rule-set] strong");
  expect(combination).toEqual([{ text: "累加", lines: 1 }]);
  // Every column but the name (free text, it may wrap) of every rule.
  const cells = await lines(page, ".ant-table-tbody tr td:not(:first-child)");
  expect(cells.length).toBeGreaterThan(0);
  for (const cell of cells) expect(cell, `rules list cell "${cell.text}"`).toMatchObject({ lines: 1 });
});

test("rules list: a rule opens from its name and from anywhere on its row", async ({ page }) => {
  await signIn(page, "director@demo.test");
  await page.getByRole("menu").getByRole("link", { name: "规则中心", exact: true }).click();
  const api = await apiAs("director@demo.test");
  const { rows } = await api.get<{ key: string; name: string }>("rules?key=eq.shopping-base&select=key,name&order=version.desc&limit=1");
  await page.getByRole("link", { name: rows[0].name, exact: true }).click();
  await expect(page).toHaveURL(/\/rules\/show\/shopping-base$/);

  await page.goBack();
  await page.getByRole("row", { name: /hotel-stay-double/ }).getByRole("cell", { name: "集团通用" }).click();
  await expect(page).toHaveURL(/\/rules\/show\/hotel-stay-double$/);
});
