import { expect, test } from "./fixtures";
import { apiAs, createMember, signIn } from "./helpers";

const rows = (page: import("@playwright/test").Page) => page.locator(".ant-table-tbody").getByRole("row");

test("an entity list finds text with commas, parentheses, quotes, dots and % as typed", async ({ page }) => {
  const api = await apiAs("staff@demo.test");
  const member = await createMember(api, 'E2E 张三,(李四) "五" 100%.');
  await signIn(page, "staff@demo.test");
  await page.getByRole("menu").getByRole("link", { name: "会员", exact: true }).click();
  const search = page.getByRole("searchbox", { name: "按会员号、姓名或手机号搜索" });

  await search.fill(member.name);
  await search.press("Enter");
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText(member.member_no);

  // A comma and parentheses inside the text neither split the search nor break the request.
  await search.fill(`,(李四) "五" 100%.${member.phone.slice(-4)}`);
  await search.press("Enter");
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText(member.member_no);

  // % is a character like any other: it does not match everything.
  await search.fill(`%${member.phone.slice(-4)}%张三`);
  await search.press("Enter");
  await expect(page.getByRole("cell", { name: /暂无数据/ })).toBeVisible();
});
