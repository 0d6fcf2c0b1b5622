import { expect, test } from "./fixtures";
import { signIn } from "./helpers";

test("marketing staff design forms and draft rules, and submit them for approval instead of publishing", async ({ page }) => {
  await signIn(page, "marketing@demo.test");
  await expect(page.getByRole("heading", { name: /^您好，.+/ })).toBeVisible();

  // The builder shows forms only: entities are the administrators'.
  await page.getByRole("menu").getByRole("link", { name: "表单设计器" }).click();
  await expect(page.getByText("表单", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "新建实体" })).toHaveCount(0);
  await page.getByRole("link", { name: "积分调整申请" }).click();
  await expect(page).toHaveURL(/\/builder\/forms\/points-compensation$/);
  await expect(page.getByRole("button", { name: "提交发布审批" })).toBeVisible();
  await expect(page.getByRole("button", { name: /^发\s?布$/ })).toHaveCount(0);

  // An entity's builder page is closed to them even by its address.
  await page.goto("/builder/entities/member");
  await expect(page.getByText("您没有访问此页面的权限")).toBeVisible();

  // The rules centre lets them draft rules; the engine's operations stay with administrators.
  await page.goto("/rules");
  await expect(page.getByRole("button", { name: "新建规则" })).toBeVisible();
  await expect(page.getByRole("button", { name: "立即执行积分过期" })).toHaveCount(0);
});
