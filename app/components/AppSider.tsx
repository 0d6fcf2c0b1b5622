import { BarsOutlined, LeftOutlined, LogoutOutlined, RightOutlined, UnorderedListOutlined } from "@ant-design/icons";
import { useThemedLayoutContext, type RefineThemedLayoutSiderProps } from "@refinedev/antd";
import { useLink, useLogout, useMenu, usePermissions, useWarnAboutChange, type TreeMenuItem } from "@refinedev/core";
import { Button, Drawer, Grid, Layout, Menu, theme, type MenuProps } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { isAllowed, type Rules } from "../access/permissions";
import type { Role } from "../access/my-access";
import { AppTitle } from "./AppTitle";

type MenuItem = Required<MenuProps>["items"][number];
const WIDTH = 200;
const COLLAPSED_WIDTH = 80;

/**
 * The menu: the resources the signed-in roles may list (the access matrix), then sign-out. Replaces
 * Refine's ThemedSider, which builds antd's Menu from children (deprecated in antd 5, logged as an
 * error on every page) instead of `items`.
 */
export function AppSider({ fixed }: RefineThemedLayoutSiderProps) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const { siderCollapsed, setSiderCollapsed, mobileSiderOpen, setMobileSiderOpen } = useThemedLayoutContext();
  const { menuItems, selectedKey, defaultOpenKeys } = useMenu({});
  const { data: roles } = usePermissions<Role[]>({});
  const { warnWhen, setWarnWhen } = useWarnAboutChange();
  const { mutate: logout } = useLogout();
  const Link = useLink();
  const breakpoint = Grid.useBreakpoint();
  const isMobile = breakpoint.lg === undefined ? false : !breakpoint.lg;

  const toItems = (tree: TreeMenuItem[]): MenuItem[] =>
    tree
      .filter((item) => isAllowed(roles ?? [], item.name, "list", item.meta?.rules as Rules | undefined))
      .map((item) =>
        item.children.length > 0
          ? { key: item.key, icon: item.meta?.icon ?? <UnorderedListOutlined />, label: item.label, children: toItems(item.children) }
          : {
              key: item.key,
              icon: item.meta?.icon ?? <UnorderedListOutlined />,
              label: <Link to={item.route ?? ""}>{item.label}{item.meta?.badge as ReactNode}</Link>,
            },
      );

  const signOut = () => {
    if (warnWhen && !window.confirm(t("warnWhenUnsavedChanges"))) return;
    setWarnWhen(false);
    logout();
  };

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={selectedKey ? [selectedKey] : []}
      defaultOpenKeys={defaultOpenKeys}
      style={{ paddingTop: 8, border: "none", overflow: "auto", height: "calc(100% - 72px)" }}
      onClick={() => setMobileSiderOpen(false)}
      items={[...toItems(menuItems), { key: "logout", icon: <LogoutOutlined />, label: t("buttons.logout"), onClick: signOut }]}
    />
  );
  const title = (collapsed: boolean) => (
    <div
      style={{
        width: collapsed ? COLLAPSED_WIDTH : WIDTH,
        padding: collapsed ? 0 : "0 16px",
        display: "flex",
        justifyContent: collapsed ? "center" : "flex-start",
        alignItems: "center",
        height: 64,
        backgroundColor: token.colorBgElevated,
      }}
    >
      <AppTitle collapsed={collapsed} />
    </div>
  );
  const siderStyle = { backgroundColor: token.colorBgContainer, borderRight: `1px solid ${token.colorBgElevated}` };

  if (isMobile) {
    return (
      <>
        <Drawer open={mobileSiderOpen} onClose={() => setMobileSiderOpen(false)} placement="left" closable={false} width={WIDTH} styles={{ body: { padding: 0 } }}>
          <Layout.Sider style={{ ...siderStyle, height: "100vh" }}>
            {title(false)}
            {menu}
          </Layout.Sider>
        </Drawer>
        <Button
          style={{ borderRadius: "0 6px 6px 0", position: "fixed", top: 64, zIndex: 1001 }}
          size="large"
          aria-label={t("header.openMenu")}
          onClick={() => setMobileSiderOpen(true)}
          icon={<BarsOutlined />}
        />
      </>
    );
  }

  const width = siderCollapsed ? COLLAPSED_WIDTH : WIDTH;
  return (
    <>
      {fixed && <div style={{ width, transition: "all 0.2s" }} />}
      <Layout.Sider
        style={fixed ? { ...siderStyle, position: "fixed", top: 0, height: "100vh", zIndex: 999 } : siderStyle}
        collapsible
        collapsed={siderCollapsed}
        onCollapse={(collapsed, type) => type === "clickTrigger" && setSiderCollapsed(collapsed)}
        collapsedWidth={COLLAPSED_WIDTH}
        breakpoint="lg"
        trigger={
          <Button type="text" style={{ borderRadius: 0, height: "100%", width: "100%", backgroundColor: token.colorBgElevated }}>
            {siderCollapsed ? <RightOutlined style={{ color: token.colorPrimary }} /> : <LeftOutlined style={{ color: token.colorPrimary }} />}
          </Button>
        }
      >
        {title(siderCollapsed)}
        {menu}
      </Layout.Sider>
    </>
  );
}
