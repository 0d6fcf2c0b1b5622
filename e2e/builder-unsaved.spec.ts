import { expect, test, type Page } from "./fixtures";
import { asSuperuser, dragInto, signIn } from "./helpers";

// One entity key per run, removed afterwards.
const KEY = `e2e_unsaved_${Date.now().toString(36)}`;
const TITLE = `未保存测试${KEY.slice(-4)}`;
const LEAVE = "有尚未保存的修改，确定离开吗？";

test.afterAll(async () => {
  await asSuperuser((db) => db.query("delete from entity_definitions where key = $1", [KEY]), { bypassTriggers: true });
});

/** Answers the next browser dialog, checking it is the unsaved-changes question of the expected kind. */
function answerNextDialog(page: Page, type: "confirm" | "beforeunload", accept: boolean) {
  const seen = new Promise<void>((resolve, reject) => {
    page.once("dialog", async (dialog) => {
      try {
        expect(dialog.type()).toBe(type);
        if (type === "confirm") expect(dialog.message()).toBe(LEAVE);
        await (accept ? dialog.accept() : dialog.dismiss());
        resolve();
      } catch (error) {
        reject(error as Error);
      }
    });
  });
  return seen;
}

test("a new entity is a draft on the server at once, and leaving the builder with unsaved changes asks first", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, "admin@demo.test");
  const menu = page.getByRole("menu");
  await menu.getByRole("link", { name: "表单设计器" }).click();
  await page.getByRole("button", { name: "新建实体" }).click();
  await page.getByLabel("实体标识").fill(KEY);
  await page.getByLabel("中文名称").fill(TITLE);
  await page.getByRole("button", { name: "创 建" }).click();
  await expect(page).toHaveURL(new RegExp(`/builder/entities/${KEY}$`));
  const version = page.getByTestId("builder-version");
  await expect(version).toHaveText("v1 · 草稿", { timeout: 60_000 });

  // Its address opens the saved draft, with its name, even after a reload.
  await page.reload({ waitUntil: "commit" }); // the app, not every dev-server module, must be ready: the checks below wait for it
  await expect(page.getByRole("heading", { name: new RegExp(`^实体设计：${TITLE}`) })).toBeVisible({ timeout: 60_000 });
  await expect(version).toHaveText("v1 · 草稿", { timeout: 60_000 });

  // A field added and not saved: the menu asks before leaving; cancelling keeps the work.
  const canvas = page.getByTestId("builder-canvas");
  await dragInto(page, page.getByRole("button", { name: "添加字段：单行文本", exact: true }), canvas);
  await expect(canvas.getByRole("listitem")).toHaveCount(1);
  await expect(page.getByText("有未保存的修改")).toBeVisible({ timeout: 60_000 });
  const save = page.getByRole("button", { name: "保存草稿" });
  await expect(save).toBeEnabled();
  let asked = answerNextDialog(page, "confirm", false);
  await menu.getByRole("link", { name: "会员", exact: true }).click();
  await asked;
  await expect(page).toHaveURL(new RegExp(`/builder/entities/${KEY}$`));
  await expect(canvas.getByRole("listitem")).toHaveCount(1);

  // Closing or reloading the tab asks too (beforeunload); staying keeps the page.
  asked = answerNextDialog(page, "beforeunload", false);
  await page.close({ runBeforeUnload: true });
  await asked;
  expect(page.isClosed()).toBe(false);
  await expect(canvas.getByRole("listitem")).toHaveCount(1);

  // Saved, it reopens with its name and field, and nothing asks on the way out.
  await save.click();
  await expect(page.getByText("有未保存的修改")).toHaveCount(0);
  await page.reload({ waitUntil: "commit" });
  await expect(page.getByRole("heading", { name: new RegExp(`^实体设计：${TITLE}`) })).toBeVisible({ timeout: 60_000 });
  await expect(canvas.getByRole("listitem")).toHaveText([/单行文本1/]);
  await expect(page.getByRole("button", { name: "发布" })).toBeEnabled();

  // Another unsaved change, and this time leaving is confirmed: the menu goes where it was asked.
  await page.getByLabel("中文名称").fill(`${TITLE}改`);
  await expect(save).toBeEnabled();
  asked = answerNextDialog(page, "confirm", true);
  await menu.getByRole("link", { name: "会员", exact: true }).click();
  await asked;
  await expect(page).toHaveURL(/\/members$/);
  const [row] = (await asSuperuser((db) => db.query("select title from entity_definitions where key = $1", [KEY]))).rows;
  expect(row.title).toBe(TITLE); // the discarded edit was not saved

  // With nothing unsaved, the menu just navigates.
  await page.goto(`/builder/entities/${KEY}`, { waitUntil: "commit" });
  await expect(version).toHaveText("v1 · 草稿", { timeout: 60_000 });
  await menu.getByRole("link", { name: "会员", exact: true }).click();
  await expect(page).toHaveURL(/\/members$/);
});

test("the form builder asks before leaving unsaved changes, and an unknown address says so instead of opening an empty builder", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, "admin@demo.test");
  await expect(page.getByRole("menu").getByRole("link", { name: "表单设计器" })).toBeVisible({ timeout: 60_000 });
  await page.goto(`/builder/entities/${KEY}_missing`, { waitUntil: "commit" });
  await expect(page.getByText("没有找到这个表单或实体，它可能已被删除")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("button", { name: "保存草稿" })).toHaveCount(0);

  await page.goto("/builder/forms/member", { waitUntil: "commit" });
  await expect(page.getByTestId("builder-version")).toContainText("已发布", { timeout: 60_000 });
  await page.getByLabel("英文名称").fill("Member registration (unsaved)");
  const asked = answerNextDialog(page, "confirm", false);
  await page.getByRole("menu").getByRole("link", { name: "会员", exact: true }).click();
  await asked;
  await expect(page).toHaveURL(/\/builder\/forms\/member$/);
  await expect(page.getByLabel("英文名称")).toHaveValue("Member registration (unsaved)");
});
