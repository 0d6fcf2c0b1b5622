import { useList } from "@refinedev/core";
import { Timeline, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { approvalEventLabel, type ApprovalFlowAction } from "../../../core/enums/index.ts";
import { useLookup } from "../../components/useLookup";
import type { ApprovalEventRow } from "../../data/approvals/types";
import { formatDateTime } from "../../lib/format";
import type { StaffProfile } from "../../lib/types";
import { approvalActionView } from "./actions";

const COLORS: Record<string, string> = { approved: "green", executed: "green", rejected: "red", failed: "red", withdrawn: "gray", escalated: "orange", reminded: "orange" };

/** Every step of a request, oldest first: who did what, when, and why. */
export function RequestTimeline({ requestId, action, stepNames }: { requestId: string; action: ApprovalFlowAction; stepNames: (index: number | null) => string | undefined }) {
  const executedLabel = approvalActionView(action).executedLabel;
  const { t } = useTranslation();
  const staff = useLookup<StaffProfile>("staff_profiles", "user_id");
  const { result } = useList<ApprovalEventRow>({
    resource: "approval_events",
    filters: [{ field: "request_id", operator: "eq", value: requestId }],
    sorters: [{ field: "id", order: "asc" }],
    pagination: { mode: "off" },
  });
  return (
    <Timeline
      items={(result.data ?? []).map((event) => ({
        color: COLORS[event.event] ?? "blue",
        children: (
          <>
            <Typography.Text strong>{t(event.event === "executed" && executedLabel ? executedLabel : approvalEventLabel(event.event))}</Typography.Text>
            {stepNames(event.step_index) && <Typography.Text> · {stepNames(event.step_index)}</Typography.Text>}
            <div>
              <Typography.Text type="secondary">
                {formatDateTime(event.at)} · {event.actor_id ? (staff.map.get(event.actor_id)?.display_name ?? t("approvals.someone")) : t("audit_log.system")}
              </Typography.Text>
            </div>
            {event.comment && <div>{event.comment}</div>}
            {event.event === "failed" && typeof event.details.reason === "string" && (
              <Typography.Text type="danger">{t(`errors.reasons.${event.details.reason}`, { defaultValue: t("approvals.failedUnknown") })}</Typography.Text>
            )}
          </>
        ),
      }))}
    />
  );
}
