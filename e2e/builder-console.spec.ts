import { expect, test } from "./fixtures";
import { asSuperuser, dragInto, signIn } from "./helpers";

const KEY = `e2e_console_${Date.now().toString(36)}`;

test.afterAll(async () => {
  await asSuperuser((db) => db.query("delete from entity_definitions where key = $1", [KEY]), { bypassTriggers: true });
});

test("building a form logs no console warnings or errors; validation errors show inline only", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "admin@demo.test");
  await page.getByRole("menu").getByRole("link", { name: "表单设计器" }).click();
  await page.getByRole("button", { name: "新建实体" }).click();
  await page.getByLabel("实体标识").fill(KEY);
  await page.getByLabel("中文名称").fill("控制台测试");
  await page.getByRole("button", { name: "创 建" }).click();
  await expect(page.getByTestId("builder-version")).toHaveText("v1 · 草稿", { timeout: 30_000 });

  // From here on, the builder journey: every console warning or error counts.
  const logged: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") logged.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => logged.push(`pageerror: ${error.message}`));

  const canvas = page.getByTestId("builder-canvas");
  for (const [index, type] of ["单行文本", "数字", "单选", "日期"].entries()) {
    await dragInto(page, page.getByRole("button", { name: `添加字段：${type}`, exact: true }), canvas);
    await expect(canvas.getByRole("listitem")).toHaveCount(index + 1);
  }
  // a required text field, then the preview's validation with nothing filled in
  await canvas.getByRole("listitem").first().click();
  await page.getByLabel("必填").click();
  const preview = page.getByTestId("builder-preview");
  await preview.getByRole("button", { name: "校验预览数据" }).click();
  await expect(preview.getByText("必填")).toBeVisible();
  await expect(preview.getByText("数据有效")).toHaveCount(0);
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByText("有未保存的修改")).toHaveCount(0);

  expect(logged).toEqual([]);
});
