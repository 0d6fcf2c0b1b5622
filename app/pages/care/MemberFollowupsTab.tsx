import { useCan } from "@refinedev/core";
import { App as AntApp, Button, Space, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCounterUnits } from "../../access/use-counter-units";
import { useLookup } from "../../components/useLookup";
import { useCareTasks, useMemberFollowups, type Followup } from "../../data/care";
import { formatDateTime, localizedName } from "../../lib/format";
import type { BusinessUnit, Member } from "../../lib/types";
import { FollowupModal } from "./FollowupModal";

/** The member 360 page's 跟进 tab: open care tasks, follow-ups by the user's units, and recording one. */
export function MemberFollowupsTab({ member }: { member: Member }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const { rows, query } = useMemberFollowups(member.id);
  const tasks = useCareTasks("open", member.id);
  const units = useLookup<BusinessUnit>("business_units");
  const { units: myUnits } = useCounterUnits();
  const { data: canRecord } = useCan({ resource: "care_tasks", action: "create" });
  const [open, setOpen] = useState(false);
  const unitName = (id: string) => localizedName(units.map.get(id), i18n.language);

  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space wrap>
        {canRecord?.can && myUnits.length > 0 && <Button type="primary" onClick={() => setOpen(true)}>{t("care.followup.record")}</Button>}
        {tasks.rows.map((task) => (
          <Tag key={task.id} color="orange">{t("care.memberTask", { unit: unitName(task.business_unit_id), date: task.due_on, why: task.care_triggers?.name ?? "" })}</Tag>
        ))}
      </Space>
      <Table<Followup> rowKey="id" size="small" dataSource={rows} loading={query.isLoading} pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: query.isError ? t("common.loadFailed") : t("care.followup.none") }} scroll={{ x: "max-content" }}>
        <Table.Column<Followup> key="at" title={t("care.followup.at")} render={(_, r) => formatDateTime(r.created_at)} />
        <Table.Column<Followup> key="unit" title={t("care.followup.unit")} render={(_, r) => unitName(r.business_unit_id)} />
        <Table.Column<Followup> key="channel" title={t("care.followup.channel")} render={(_, r) => t(`care.channels.${r.channel}`)} />
        <Table.Column<Followup> key="outcome" title={t("care.followup.outcome")} render={(_, r) => t(`care.outcomes.${r.outcome}`)} />
        <Table.Column<Followup> key="note" title={t("care.followup.note")} dataIndex="note" />
        <Table.Column<Followup> key="next" title={t("care.followup.nextOn")} render={(_, r) => r.next_on ?? "—"} />
      </Table>
      {open && (
        <FollowupModal memberId={member.id} memberLabel={member.name} units={myUnits}
          unitId={tasks.rows.find((task) => myUnits.some((u) => u.id === task.business_unit_id))?.business_unit_id}
          onClose={(saved) => {
            setOpen(false);
            if (saved) message.success(t("care.followup.saved"));
          }} />
      )}
    </Space>
  );
}
