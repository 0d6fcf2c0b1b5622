import { EditOutlined, FileTextOutlined, PlusOutlined } from "@ant-design/icons";
import { List } from "@refinedev/antd";
import { CanAccess, useGetIdentity } from "@refinedev/core";
import { Alert, Button, Card, Col, Empty, Row, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { roleNames } from "../../access/my-access";
import { canEditDashboard } from "../../dashboards/can-edit";
import { useDashboards } from "../../data/dashboards/use-dashboards";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { Identity } from "../../providers/auth-provider";

/** The dashboards the user may read: shared ones and their own, each opened in its view. */
export function DashboardsPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { data: identity } = useGetIdentity<Identity | null>();
  const roles = roleNames(identity);
  const { dashboards, isLoading, error } = useDashboards();
  const lang = i18n.language === "en" ? "en" : "zh-CN";

  return (
    <List
      title={t("dashboards.titles.list")}
      headerButtons={
        <>
        <CanAccess resource="reports" action="list">
          <Button icon={<FileTextOutlined />} onClick={() => navigate("/reports")}>
            {t("reports.title")}
          </Button>
        </CanAccess>
        <CanAccess resource="dashboards" action="create">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate("/dashboards/new")}>
            {t("dashboards.actions.create")}
          </Button>
        </CanAccess>
        </>
      }
    >
      {error && <Alert type="error" showIcon message={localizeRpcError(error, t)} style={{ marginBottom: 16 }} />}
      {!isLoading && dashboards.length === 0 && !error && <Empty description={t("dashboards.none")} />}
      <Row gutter={[16, 16]}>
        {dashboards.map((row) => {
          const mine = !!identity && row.owner_id === identity.id;
          return (
            <Col key={row.key} xs={24} md={12} xl={8}>
              <Card
                loading={isLoading}
                role="region"
                aria-label={row.definition.title[lang]}
                title={
                  <Link to={`/dashboards/${row.key}`} style={{ whiteSpace: "nowrap" }}>
                    {row.definition.title[lang]}
                  </Link>
                }
                extra={
                  canEditDashboard(row, identity?.id, roles) && (
                    <Button type="text" icon={<EditOutlined />} aria-label={t("dashboards.actions.edit")} onClick={() => navigate(`/dashboards/${row.key}/edit`)} />
                  )
                }
                style={{ height: "100%" }}
              >
                <Space direction="vertical" size={8} style={{ width: "100%" }}>
                  <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ marginBottom: 0, minHeight: 44 }}>
                    {row.definition.description?.[lang] ?? t("dashboards.widgetCount", { count: row.definition.widgets.length })}
                  </Typography.Paragraph>
                  <Space size={4} wrap>
                    <Tag color={row.visibility === "shared" ? "blue" : "default"}>{t(`dashboards.visibility.${row.visibility}`)}</Tag>
                    {mine && <Tag color="green">{t("dashboards.mine")}</Tag>}
                    <Tag>{t("dashboards.widgetCount", { count: row.definition.widgets.length })}</Tag>
                  </Space>
                </Space>
              </Card>
            </Col>
          );
        })}
      </Row>
    </List>
  );
}
