import { useGetIdentity } from "@refinedev/core";
import { Card, Col, Row, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { roleNames } from "../../access/my-access";
import { isAllowed } from "../../access/permissions";
import { RoleTags } from "../../components/RoleTags";
import { StatCard } from "../../components/StatCard";
import type { Identity } from "../../providers/auth-provider";
import { EngineAttention } from "../rules/EngineAttention";
import { ApprovalsCard } from "./ApprovalsCard";
import { HomeReminders } from "../care";
import { HeadlineKpis } from "./HeadlineKpis";
import { TierDistribution } from "./TierDistribution";
import { useCount } from "./useCount";

export function HomePage() {
  const { t } = useTranslation();
  const { data: identity, isLoading } = useGetIdentity<Identity | null>();
  const roles = roleNames(identity);
  const can = (resource: string) => isAllowed(roles, resource, "list");
  const ready = !!identity;
  const members = useCount("members", ready && can("members"));
  const units = useCount("business_units", ready && can("business_units"));
  const activeUnits = useCount("business_units", ready && can("business_units"), [{ field: "active", operator: "eq", value: true }]);
  const staff = useCount("staff_profiles", ready && can("staff_profiles"));
  const audit = useCount("audit_log", ready && can("audit_log"));

  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Card loading={isLoading}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t("home.greeting", { name: identity?.name ?? "" })}
        </Typography.Title>
        <Space wrap>
          <Typography.Text type="secondary">{t("home.rolesLabel")}</Typography.Text>
          <RoleTags roles={identity?.roles ?? []} />
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0, marginTop: 8 }}>
          {t("home.scopeNote")}
        </Typography.Paragraph>
      </Card>
      {ready && can("rules") && <EngineAttention />}
      <Row gutter={[16, 16]}>
        {can("members") && (
          <Col xs={24} sm={12} lg={6}>
            <StatCard title={t("home.memberCount")} value={members.total} loading={members.loading} error={members.error} />
          </Col>
        )}
        {can("business_units") && (
          <Col xs={24} sm={12} lg={6}>
            <StatCard
              title={t("home.businessUnitCount")}
              value={units.total}
              loading={units.loading}
              error={units.error}
              footer={activeUnits.total !== undefined && t("home.activeBusinessUnits", { count: activeUnits.total })}
            />
          </Col>
        )}
        {can("staff_profiles") && (
          <Col xs={24} sm={12} lg={6}>
            <StatCard title={t("home.staffCount")} value={staff.total} loading={staff.loading} error={staff.error} />
          </Col>
        )}
        {can("audit_log") && (
          <Col xs={24} sm={12} lg={6}>
            <StatCard title={t("home.auditCount")} value={audit.total} loading={audit.loading} error={audit.error} />
          </Col>
        )}
      </Row>
      {ready && can("dashboards") && <HeadlineKpis />}
      {ready && can("members") && can("tiers") && <TierDistribution />}
      <Row gutter={[16, 16]}>
        {can("approvals") && (
          <Col xs={24} md={12}>
            <ApprovalsCard />
          </Col>
        )}
        {can("care_tasks") && can("counter") && (
          <Col xs={24} md={12}>
            <HomeReminders />
          </Col>
        )}
      </Row>
    </Space>
  );
}
