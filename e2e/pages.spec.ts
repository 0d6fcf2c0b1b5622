import { expect, test } from "./fixtures";
import { apiAs, signIn } from "./helpers";

const rows = (page: import("@playwright/test").Page) => page.locator(".ant-table-tbody").getByRole("row");

test("members: search by phone, name or member no. (Refine `or` filter)", async ({ page }) => {
  const api = await apiAs("staff@demo.test");
  const { rows: found } = await api.get<{ member_no: string; name: string; phone: string }>(
    "members?select=member_no,name,phone&order=member_no&limit=1",
  );
  const data = found[0];
  await signIn(page, "staff@demo.test");
  await page.getByRole("menu").getByRole("link", { name: "会员", exact: true }).click();
  await expect(page.getByRole("heading", { name: "会员列表" })).toBeVisible();
  const search = page.getByRole("searchbox", { name: "按会员号、姓名或手机号搜索" });

  for (const term of [data.phone, data.member_no]) {
    await search.fill(term);
    await search.press("Enter");
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText(data.member_no);
    await expect(rows(page).first()).toContainText(data.phone);
  }
  await search.fill(data.name);
  await search.press("Enter");
  await expect(rows(page).filter({ hasText: data.member_no })).toHaveCount(1);
  await search.fill("不存在的会员xyz");
  await search.press("Enter");
  await expect(page.getByRole("cell", { name: /暂无数据/ })).toBeVisible();
});

test("tiers: the ladder in rank order", async ({ page }) => {
  await signIn(page, "analyst@demo.test");
  await page.getByRole("menu").getByRole("link", { name: "会员等级", exact: true }).click();
  // the ladder's table (the paid memberships on sale follow in their own table)
  const ladder = page.locator(".ant-table-tbody").first().getByRole("row");
  await expect(ladder).toHaveCount(4);
  await expect(ladder.nth(0)).toContainText("普卡");
  await expect(ladder.nth(3)).toContainText("钻石卡");
});

test("built-in entities through the generic renderer: tiers and members by their definitions", async ({ page }) => {
  await signIn(page, "analyst@demo.test");
  await expect(page.getByRole("menu")).toBeVisible(); // signed in before navigating away
  await page.goto("/e/tiers");
  await expect(page.getByRole("columnheader", { name: "成长值门槛" })).toBeVisible();
  await expect(rows(page)).toHaveCount(4);
  await expect(rows(page).nth(3)).toContainText("50,000");
  await page.goto("/e/members");
  await page.getByRole("combobox", { name: "会员等级" }).click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "钻石卡" }).click();
  await page.getByRole("button", { name: "筛 选" }).click();
  const diamonds = (await (await apiAs("analyst@demo.test")).get("member_directory?select=id,tiers!inner(code)&tiers.code=eq.diamond&limit=1")).total;
  expect(diamonds).toBeGreaterThan(0);
  await expect(rows(page)).toHaveCount(Math.min(diamonds, 10)); // default page size 10
  await expect(rows(page).filter({ hasNotText: "钻石卡" })).toHaveCount(0);
});

test("staff & roles: admin sees every login with its roles and scope", async ({ page }) => {
  await signIn(page, "admin@demo.test");
  await page.getByRole("menu").getByRole("link", { name: "员工与角色", exact: true }).click();
  await expect(page.getByRole("heading", { name: "员工与角色" })).toBeVisible();
  const manager = rows(page).filter({ has: page.getByRole("cell", { name: "manager@demo.test", exact: true }) });
  await expect(manager).toContainText("经理 · 星河酒店");
  await expect(rows(page).filter({ hasText: "director@demo.test" })).toContainText("总监 · 全集团");
  await expect(manager.getByRole("button", { name: /添加角色/ })).toBeVisible();
});

test("audit log: newest first, with before/after JSON", async ({ page }) => {
  await signIn(page, "director@demo.test");
  await page.getByRole("menu").getByRole("link", { name: "审计日志", exact: true }).click();
  await expect(page.getByRole("heading", { name: "审计日志" })).toBeVisible();
  await expect(rows(page).first()).toBeVisible();
  await expect(rows(page).first().locator("td:nth-child(2)")).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  const times = await rows(page).locator("td:nth-child(2)").allTextContents();
  expect(times.length).toBeGreaterThan(0);
  expect([...times].sort().reverse()).toEqual(times);
  await rows(page).first().getByRole("button", { name: "查看变更" }).click();
  await expect(page.getByText("变更前")).toBeVisible();
  await expect(page.getByText("变更后")).toBeVisible();
});

test("dashboards: the director reads the shared standard dashboards, without the builder", async ({ page }) => {
  await signIn(page, "director@demo.test");
  await page.getByRole("menu").getByRole("link", { name: "数据看板", exact: true }).click();
  for (const title of ["积分总览", "会员分析", "等级对比"]) await expect(page.getByRole("link", { name: title, exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: /新建看板/ })).toHaveCount(0);
  await page.getByRole("link", { name: "等级对比", exact: true }).click();
  await expect(page.getByRole("region", { name: "各等级积分发放与核销" }).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "编辑" })).toHaveCount(0);
});
