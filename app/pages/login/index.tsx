import { useInvalidateAuthStore, useLogin, useParsed, useGo } from "@refinedev/core";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Card, Form, Input, Layout, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "../../components/LanguageSwitch";

interface Credentials {
  email: string;
  password: string;
}

export function LoginPage() {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const invalidateAuthStore = useInvalidateAuthStore();
  const go = useGo();
  const { params } = useParsed<{ to?: string }>();
  // Own onSuccess: the error is shown in the form (not as a toast), and nothing cached for a
  // previous user survives into this session.
  const { mutate: login, isPending } = useLogin<Credentials>({
    mutationOptions: {
      onSuccess: async (result) => {
        if (!result.success) {
          setError(result.error?.message ?? t("login.failed"));
          return;
        }
        queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== "auth" });
        await invalidateAuthStore();
        const to = typeof params?.to === "string" && params.to.startsWith("/") ? params.to : "/";
        go({ to, type: "replace" });
      },
      onError: (err) => setError(err.message || t("login.failed")),
    },
  });

  return (
    <Layout style={{ minHeight: "100vh", alignItems: "center", justifyContent: "center", padding: 16 }}>
      <Card style={{ width: 400, maxWidth: "100%" }}>
        <Space direction="vertical" size="large" style={{ width: "100%" }}>
          <Space style={{ width: "100%", justifyContent: "space-between" }}>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t("login.title")}
            </Typography.Title>
            <LanguageSwitch />
          </Space>
          {error && <Alert type="error" showIcon message={error} />}
          <Form<Credentials>
            layout="vertical"
            requiredMark={false}
            onFinish={(values) => {
              setError(null);
              login(values);
            }}
          >
            <Form.Item
              name="email"
              label={t("login.email")}
              rules={[
                { required: true, message: t("login.errors.requiredEmail") },
                { type: "email", message: t("login.errors.validEmail") },
              ]}
            >
              <Input type="email" autoComplete="username" size="large" />
            </Form.Item>
            <Form.Item name="password" label={t("login.password")} rules={[{ required: true, message: t("login.errors.requiredPassword") }]}>
              <Input.Password autoComplete="current-password" size="large" />
            </Form.Item>
            <Button type="primary" htmlType="submit" size="large" block loading={isPending}>
              {t("login.submit")}
            </Button>
          </Form>
        </Space>
      </Card>
    </Layout>
  );
}
