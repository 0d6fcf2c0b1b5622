import { List } from "@refinedev/antd";
import { Alert, Card, Col, Descriptions, Empty, Row, Select, Space, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { memberStatusLabel } from "../../../core/enums/index.ts";
import { useCounterUnits } from "../../access/use-counter-units";
import { useLookup } from "../../components/useLookup";
import { maskPhone, type CounterMember } from "../../data/benefits/find-member";
import { useMemberPointSummary } from "../../data/points/use-member-pending";
import { formatCount } from "../../lib/format";
import { localizedName, nameOptions } from "../../lib/format";
import type { Tier } from "../../lib/types";
import { CounterBenefits } from "./CounterBenefits";
import { CouponBox } from "./CouponBox";
import { MemberFinder } from "./MemberFinder";

const UNIT_KEY = "umb.counter.unit";

function rememberedUnit(): string | null {
  try {
    return window.localStorage.getItem(UNIT_KEY);
  } catch {
    return null;
  }
}

/**
 * 柜台核销: the counter of one of the user's units. Find the member (member code typed or scanned, phone,
 * licence plate), see what is usable here now and why not, verify a use; or redeem a coupon by its code.
 */
export function CounterPage() {
  const { t, i18n } = useTranslation();
  const { units, loading } = useCounterUnits();
  const tiers = useLookup<Tier>("tiers");
  const [chosen, setChosen] = useState<string | null>(rememberedUnit);
  const [member, setMember] = useState<CounterMember | null>(null);
  const unit = units.find((u) => u.id === chosen) ?? (units.length === 1 ? units[0] : undefined);
  const unitLabel = unit ? localizedName(unit, i18n.language) : "";

  const chooseUnit = (id: string) => {
    setChosen(id);
    try {
      window.localStorage.setItem(UNIT_KEY, id);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  };

  const unitPicker = units.length > 1 && (
    <Space>
      <span>{t("counter.unit")}</span>
      <Select aria-label={t("counter.unit")} style={{ minWidth: 200 }} value={unit?.id} placeholder={t("counter.chooseUnit")}
        options={nameOptions(units, i18n.language)} onChange={chooseUnit} />
    </Space>
  );

  return (
    <List title={t("counter.title")} headerButtons={unitPicker || (unit ? <Tag color="blue">{unitLabel}</Tag> : null)}>
      {!loading && units.length === 0 ? (
        <Alert type="warning" showIcon message={t("counter.noUnit")} />
      ) : !unit ? (
        <Alert type="info" showIcon message={t("counter.chooseUnit")} />
      ) : (
        <Space direction="vertical" size="large" style={{ width: "100%" }}>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={14}>
              <Card title={t("counter.find.title")} style={{ height: "100%" }}>
                <Space direction="vertical" style={{ width: "100%" }} size="middle">
                  <MemberFinder onFound={setMember} />
                  {member && (
                    <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} data-testid="counter-member">
                      <Descriptions.Item label={t("members.fields.name")}>{member.name}</Descriptions.Item>
                      <Descriptions.Item label={t("members.fields.member_no")}>{member.member_no}</Descriptions.Item>
                      <Descriptions.Item label={t("members.fields.tier")}>{localizedName(tiers.map.get(member.tier_id), i18n.language)}</Descriptions.Item>
                      <Descriptions.Item label={t("members.fields.phone")}>{maskPhone(member.phone)}</Descriptions.Item>
                      <Descriptions.Item label={t("members.show.balance")}>
                        <CounterPoints memberId={member.id} />
                      </Descriptions.Item>
                      <Descriptions.Item label={t("members.fields.status")}>
                        <Tag color={member.status === "active" ? "green" : "orange"}>{t(memberStatusLabel(member.status))}</Tag>
                      </Descriptions.Item>
                    </Descriptions>
                  )}
                </Space>
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card title={t("counter.coupon.title")} style={{ height: "100%" }}>
                <CouponBox unitId={unit.id} unitLabel={unitLabel} />
              </Card>
            </Col>
          </Row>
          <Card title={member ? t("counter.benefits.titleOf", { name: member.name, unit: unitLabel }) : t("counter.benefits.title")}>
            {member ? (
              <CounterBenefits key={`${member.id}:${unit.id}`} member={member} unitId={unit.id} unitLabel={unitLabel} />
            ) : (
              <Empty description={t("counter.benefits.findFirst")} />
            )}
          </Card>
        </Space>
      )}
    </List>
  );
}

/** The member's spendable points and, apart, the pending ones (待入账) the counter cannot use yet. */
function CounterPoints({ memberId }: { memberId: string }) {
  const { t } = useTranslation();
  const { balance, pending } = useMemberPointSummary(memberId);
  if (balance === undefined) return null;
  return <span data-testid="counter-points">{t("pending.counterLine", { balance: formatCount(balance), pending: formatCount(pending) })}</span>;
}
