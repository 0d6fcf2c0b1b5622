import { Show } from "@refinedev/antd";
import { useCan, useOne } from "@refinedev/core";
import { Alert, Card, Col, Result, Row, Space, Tabs } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useMemberBalance } from "../../data/points/use-member-balance";
import type { Member } from "../../lib/types";
import { BalanceCard } from "./member-360/BalanceCard";
import { IdentitiesTable } from "./member-360/IdentitiesTable";
import { LedgerTable } from "./member-360/LedgerTable";
import { LotsTable } from "./member-360/LotsTable";
import { MemberActions } from "./member-360/MemberActions";
import { ProfileCard } from "./member-360/ProfileCard";
import { TierHistoryTable } from "./member-360/TierHistoryTable";
import { TransactionsTable } from "./member-360/TransactionsTable";
import { MemberCardsTab } from "../cards/MemberCardsTab";
import { MemberBenefitsTab } from "../benefits/MemberBenefitsTab";
import { MemberFollowupsTab } from "../care/MemberFollowupsTab";
import { MessageSettings } from "./member-360/MessageSettings";
import { PendingPointsTable } from "./member-360/PendingPointsTable";
import { formatDateTime } from "../../lib/format";

/** Member 360: profile, balance, open lots, ledger with lot traces, purchases, tiers, unit identities. */
export function MemberShow() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const { result: member, query } = useOne<Member>({ resource: "members", id, queryOptions: { enabled: !!id } });
  const { balance } = useMemberBalance(id);
  const { data: canSeeCards } = useCan({ resource: "stored_value_cards", action: "list" });
  const { data: canSeeBenefits } = useCan({ resource: "benefit_grants", action: "list" });
  const { data: canSeeCare } = useCan({ resource: "care_tasks", action: "list" });
  // Message settings are personal data: the roles that serve members (who edit members) read and change them.
  const { data: canEditMember } = useCan({ resource: "members", action: "edit" });

  if (query.isSuccess && !member) {
    return <Result status="404" title="404" subTitle={t("members.show.notFound")} />;
  }

  const tabs = [
    { key: "lots", label: t("members.show.lots"), children: <LotsTable memberId={id} /> },
    {
      key: "ledger",
      label: t("members.show.ledger"),
      children: (
        <Space direction="vertical" size="middle" style={{ width: "100%" }}>
          <PendingPointsTable memberId={id} />
          <LedgerTable memberId={id} />
        </Space>
      ),
    },
    { key: "transactions", label: t("members.show.transactions"), children: <TransactionsTable memberId={id} /> },
    { key: "tiers", label: t("members.show.tierHistory"), children: <TierHistoryTable memberId={id} /> },
    { key: "identities", label: t("members.show.identities"), children: member ? <IdentitiesTable member={member} /> : null },
    ...(canSeeBenefits?.can && member ? [{ key: "benefits", label: t("benefitsUi.memberTab"), children: <MemberBenefitsTab member={member} /> }] : []),
    ...(canSeeCards?.can ? [{ key: "cards", label: t("stored_value_cards.memberTab"), children: <MemberCardsTab memberId={id} /> }] : []),
    ...(canSeeCare?.can && member ? [{ key: "followups", label: t("care.memberTab"), children: <MemberFollowupsTab member={member} /> }] : []),
    ...(canEditMember?.can ? [{ key: "messages", label: t("member_messages.tab"), children: <MessageSettings memberId={id} /> }] : []),
  ];

  return (
    <Show
      title={member ? `${member.name} · ${member.member_no}` : t("members.titles.show")}
      isLoading={query.isLoading}
      headerButtons={member ? <MemberActions member={member} balance={balance} /> : null}
    >
      {member && (
        <Space direction="vertical" size="large" style={{ width: "100%" }}>
          {member.anonymised_at && (
            <Alert type="info" showIcon data-testid="member-anonymised" message={t("privacy.anonymisedNotice", { at: formatDateTime(member.anonymised_at) })} />
          )}
          {member.merged_into && (
            <Alert
              type="warning"
              showIcon
              message={t("members.show.mergedInto")}
              action={<Link to={`/members/show/${member.merged_into}`}>{t("members.show.openSurvivor")}</Link>}
            />
          )}
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={16}>
              <ProfileCard member={member} />
            </Col>
            <Col xs={24} xl={8}>
              <BalanceCard memberId={id} />
            </Col>
          </Row>
          <Card>
            <Tabs items={tabs} />
          </Card>
        </Space>
      )}
    </Show>
  );
}
