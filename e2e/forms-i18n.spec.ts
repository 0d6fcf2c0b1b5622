import { expect, test } from "./fixtures";
import { signIn } from "./helpers";

test("registering a member: the form's own buttons speak Chinese and the page after shows field labels, never keys", async ({ page }) => {
  test.setTimeout(240_000);
  // Every text the pages ever render, however briefly, is checked for the custom field's key.
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { __keysShown: string[] }).__keysShown = []);
    const check = (node: Node) => {
      if (node.textContent?.includes("licence_plate")) seen.push(location.pathname);
    };
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === "characterData") check(record.target);
        else record.addedNodes.forEach(check);
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await signIn(page, "staff@demo.test");
  await page.getByRole("menu").getByRole("link", { name: "会员", exact: true }).click();
  await page.getByRole("button", { name: "登记会员" }).click();
  await expect(page).toHaveURL(/\/members\/create$/);

  // The tags list: RJSF's add, move and remove buttons are named in Chinese.
  const add = page.locator(".rjsf-array-item-add");
  await expect(add).toHaveAttribute("title", "添加一项");
  await add.click();
  await add.click();
  for (const [name, count] of [["删除", 2], ["上移", 2], ["下移", 2]] as const) await expect(page.locator(`form button[title="${name}"]`)).toHaveCount(count);
  await expect(page.locator('form [title="Add Item"], form [title="Remove"], form [title="Move up"], form [title="Move down"]')).toHaveCount(0);
  await page.locator('form button[title="删除"]').last().click();
  await page.locator("#root_tags_0").fill("常客");

  const phone = `1990${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  await page.getByRole("textbox", { name: "姓名" }).fill(`车牌会员${phone.slice(-4)}`);
  await page.getByRole("textbox", { name: "手机号" }).fill(phone);
  await page.getByRole("textbox", { name: "车牌号" }).fill("沪A12345");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page).toHaveURL(/\/members\/show\/[0-9a-f-]{36}$/);
  await expect(page.getByText("沪A12345")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText("车牌号", { exact: true })).toBeVisible();
  await expect(page.getByText("常客")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __keysShown: string[] }).__keysShown)).toEqual([]);
});
