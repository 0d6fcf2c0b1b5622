import { expect, test, type Page } from "./fixtures";
import { apiAs, clickUntil, createMember, signIn } from "./helpers";

const RUN = Date.now().toString(36).toUpperCase();

async function openIdentities(page: Page, memberId: string) {
  await expect(page).not.toHaveURL(/\/login/); // signed in before navigating away
  await page.goto(`/members/show/${memberId}`);
  await page.getByRole("tab", { name: "业态身份" }).click();
  return page.getByRole("tabpanel", { name: "业态身份" });
}

test("staff link a unit's member id; the same id twice is refused; a unit manager unlinks only their unit's ids", async ({ page, guard }) => {
  test.setTimeout(120_000); // three sign-ins in two browser contexts
  const api = await apiAs("admin@demo.test");
  const member = await createMember(api, "身份绑定");
  const other = await createMember(api, "身份重复");
  // the browser logs the 409 of linking a taken id, which this test provokes on purpose
  guard.allow(/status of 409 \(Conflict\) .*\/rest\/v1\/member_identities/);

  // Mall staff: the form offers their unit only.
  await signIn(page, "staff@demo.test");
  let panel = await openIdentities(page, member.id);
  await expect(panel.locator(".ant-select-selection-item")).toHaveText("星河购物中心");
  await panel.getByLabel("业态会员编号").fill(`MALL-${RUN}`);
  await panel.getByRole("button", { name: "绑定" }).click();
  await expect(panel.getByRole("cell", { name: `MALL-${RUN}`, exact: true })).toBeVisible();
  await expect(panel.getByRole("button", { name: `解除绑定 MALL-${RUN}` })).toHaveCount(0); // staff do not unlink

  panel = await openIdentities(page, other.id);
  await panel.getByLabel("业态会员编号").fill(`MALL-${RUN}`);
  await panel.getByRole("button", { name: "绑定" }).click();
  await expect(panel).toContainText("该业态会员编号已绑定到会员");
  await expect(panel.getByRole("cell", { name: `MALL-${RUN}`, exact: true })).toHaveCount(0);

  // The hotel manager links a hotel id, may unlink it, and is offered no unlink for the mall's id.
  page = await guard.newPage();
  await signIn(page, "manager@demo.test");
  panel = await openIdentities(page, member.id);
  await expect(panel.locator(".ant-select-selection-item")).toHaveText("星河酒店");
  await panel.getByLabel("业态会员编号").fill(`HOTEL-${RUN}`);
  await panel.getByRole("button", { name: "绑定" }).click();
  await expect(panel.getByRole("cell", { name: `HOTEL-${RUN}`, exact: true })).toBeVisible();
  await expect(panel.getByRole("button", { name: `解除绑定 MALL-${RUN}` })).toHaveCount(0);
  await panel.getByRole("button", { name: `解除绑定 HOTEL-${RUN}` }).click();
  await clickUntil(page.getByRole("tooltip").getByRole("button", { name: /^(确\s?定|删\s?除)$/ }),
    () => expect(panel.getByRole("cell", { name: `HOTEL-${RUN}`, exact: true })).toHaveCount(0, { timeout: 3_000 }));

  const { rows } = await api.get<{ external_id: string }>(`member_identities?member_id=eq.${member.id}&select=external_id`);
  expect(rows).toEqual([{ external_id: `MALL-${RUN}` }]);
});
