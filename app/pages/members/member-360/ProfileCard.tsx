import { Card, Descriptions, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { memberStatusLabel } from "../../../../core/enums/index.ts";
import { useLookup } from "../../../components/useLookup";
import { useUnitName } from "../../../components/useUnitName";
import { isColumnField } from "../../../data/members/member-form-data";
import { useMemberForm } from "../../../data/members/use-member-form";
import { formatCount, formatDateTime, localizedName } from "../../../lib/format";
import type { Member, Tier } from "../../../lib/types";
import { SchemaFields } from "../../../runtime";

/** A masked birthday shows its month only ("5月", "May"). */
const birthdayMonth = (member: Member, language: string) =>
  member.birthday_month ? new Intl.DateTimeFormat(language, { month: "long" }).format(new Date(2000, member.birthday_month - 1, 1)) : "";

const STATUS_COLORS: Record<Member["status"], string> = { active: "green", frozen: "orange", cancelled: "default" };

/** Master data of one member, then the custom fields by the member form version the member was saved with. */
export function ProfileCard({ member }: { member: Member }) {
  const { t, i18n } = useTranslation();
  const tiers = useLookup<Tier>("tiers");
  const unitName = useUnitName();
  const form = useMemberForm(member.form_version);
  const custom = member.custom ?? {};
  const customFields = [
    ...Object.keys(form?.schema.properties ?? {}).filter((key) => !isColumnField(key)),
    ...Object.keys(custom).filter((key) => !(key in (form?.schema.properties ?? {}))),
  ];
  const f = (key: string) => t(`members.fields.${key}`);

  return (
    <Card title={t("members.show.profile")} style={{ height: "100%" }}>
      <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small">
        <Descriptions.Item label={f("name")}>{member.name}</Descriptions.Item>
        <Descriptions.Item label={f("member_no")}>{member.member_no}</Descriptions.Item>
        <Descriptions.Item label={f("phone")}>{member.phone || "—"}</Descriptions.Item>
        <Descriptions.Item label={f("email")}>{member.email || "—"}</Descriptions.Item>
        <Descriptions.Item label={f("birthday")}>{member.birthday || birthdayMonth(member, i18n.language) || "—"}</Descriptions.Item>
        <Descriptions.Item label={f("gender")}>{t(`members.gender.${member.gender}`)}</Descriptions.Item>
        <Descriptions.Item label={f("tier")}>{localizedName(tiers.map.get(member.tier_id), i18n.language)}</Descriptions.Item>
        {member.paid_tier_id && (
          <Descriptions.Item label={f("paid_tier")}>
            <Space direction="vertical" size={0}>
              <Tag color="gold" data-testid="paid-tier">
                {t("tiers.paid.until", { tier: localizedName(tiers.map.get(member.paid_tier_id), i18n.language), ends: formatDateTime(member.paid_until) })}
              </Tag>
              {member.earned_tier_id && (
                <Typography.Text type="secondary">
                  {t("tiers.paid.earned", { tier: localizedName(tiers.map.get(member.earned_tier_id), i18n.language) })}
                </Typography.Text>
              )}
            </Space>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={f("growth_value")}>{formatCount(member.growth_value)}</Descriptions.Item>
        <Descriptions.Item label={f("status")}>
          <Tag color={STATUS_COLORS[member.status]}>{t(memberStatusLabel(member.status))}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={f("home_business_unit")}>{unitName(member.home_business_unit_id)}</Descriptions.Item>
        <Descriptions.Item label={f("created_at")}>{formatDateTime(member.created_at)}</Descriptions.Item>
        <Descriptions.Item label={f("tags")}>
          {member.tags.length ? (
            <Space size={[4, 4]} wrap>
              {member.tags.map((tag) => (
                <Tag key={tag}>{tag}</Tag>
              ))}
            </Space>
          ) : (
            "—"
          )}
        </Descriptions.Item>
      </Descriptions>
      <div style={{ marginTop: 16 }}>
        {customFields.length === 0 ? (
          <Descriptions title={f("custom")} size="small">
            <Descriptions.Item>{t("members.show.noCustomFields")}</Descriptions.Item>
          </Descriptions>
        ) : (
          <SchemaFields
            title={f("custom")}
            schema={form?.schema}
            uiSchema={form?.ui_schema}
            data={custom}
            fields={customFields}
            column={3}
          />
        )}
      </div>
    </Card>
  );
}
