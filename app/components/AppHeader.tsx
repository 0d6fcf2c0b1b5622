import { useGetIdentity } from "@refinedev/core";
import { Layout, Space, theme, Typography } from "antd";
import type { Identity } from "../providers/auth-provider";
import { LanguageSwitch } from "./LanguageSwitch";

/** Top bar: who is signed in and the language switch. Sign-out lives at the bottom of the menu. */
export function AppHeader() {
  const { token } = theme.useToken();
  const { data: identity } = useGetIdentity<Identity | null>();
  return (
    <Layout.Header
      style={{
        backgroundColor: token.colorBgElevated,
        display: "flex",
        justifyContent: "flex-end",
        alignItems: "center",
        padding: "0 24px",
        height: 64,
        position: "sticky",
        top: 0,
        zIndex: 1,
      }}
    >
      <Space size="large">
        {identity?.name && (
          <Typography.Text strong data-testid="current-user">
            {identity.name}
          </Typography.Text>
        )}
        <LanguageSwitch />
      </Space>
    </Layout.Header>
  );
}
