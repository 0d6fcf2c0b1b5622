import { useCreate, useList, useUpdate, type BaseRecord } from "@refinedev/core";
import { useQuery } from "@tanstack/react-query";
import { callRpc } from "./rpc";
import { useRpcMutation } from "./use-rpc";

export interface CareTask extends BaseRecord {
  id: string;
  trigger_id: string;
  member_id: string;
  business_unit_id: string;
  status: "open" | "closed";
  due_on: string;
  opened_at: string;
  closed_at: string | null;
  members?: { member_no: string; name: string } | null;
  care_triggers?: { name: string } | null;
}

export interface CareTrigger extends BaseRecord {
  id: string;
  name: string;
  source: "tag" | "segment";
  tag: string | null;
  segment_key: string | null;
  business_unit_id: string;
  due_days: number;
  active: boolean;
}

export interface Followup extends BaseRecord {
  id: number;
  member_id: string;
  business_unit_id: string;
  task_id: string | null;
  channel: string;
  outcome: string;
  note: string;
  next_on: string | null;
  created_at: string;
}

export interface Reminder {
  member_id: string;
  member_no: string;
  name: string;
  tier_id: string;
  kind: "birthday" | "anniversary";
  on_date: string;
  days_until: number;
  years: number;
}

/** Care tasks the user may see (RLS: their units'), open first, by due date. */
export function useCareTasks(status: "open" | "closed" | "all" = "open", memberId?: string) {
  const { result, query } = useList<CareTask>({
    resource: "care_tasks",
    filters: [
      ...(status === "all" ? [] : [{ field: "status", operator: "eq" as const, value: status }]),
      ...(memberId ? [{ field: "member_id", operator: "eq" as const, value: memberId }] : []),
    ],
    sorters: [{ field: "due_on", order: "asc" }],
    pagination: { currentPage: 1, pageSize: 200, mode: "server" },
    meta: { select: "*,members(member_no,name),care_triggers(name)" },
    errorNotification: false,
  });
  return { rows: result.data ?? [], query };
}

export function useCareTriggers() {
  const { result, query } = useList<CareTrigger>({
    resource: "care_triggers",
    sorters: [{ field: "created_at", order: "desc" }],
    pagination: { mode: "off" },
    errorNotification: false,
  });
  return { rows: result.data ?? [], query };
}

export type CareTriggerInput = Pick<CareTrigger, "name" | "source" | "tag" | "segment_key" | "business_unit_id" | "due_days">;

export function useCreateCareTrigger() {
  const { mutateAsync, mutation } = useCreate<CareTrigger>();
  return {
    isPending: mutation.isPending,
    mutateAsync: (values: CareTriggerInput) =>
      mutateAsync({ resource: "care_triggers", values, successNotification: false, errorNotification: false }),
  };
}

export function useSetCareTriggerActive() {
  const { mutateAsync } = useUpdate<CareTrigger>();
  return (id: string, active: boolean) =>
    mutateAsync({ resource: "care_triggers", id, values: { active }, successNotification: false, errorNotification: false });
}

/** A member's follow-ups, newest first (RLS: the user's units'). */
export function useMemberFollowups(memberId: string) {
  const { result, query } = useList<Followup>({
    resource: "member_followups",
    filters: [{ field: "member_id", operator: "eq", value: memberId }],
    sorters: [{ field: "created_at", order: "desc" }],
    pagination: { mode: "off" },
    errorNotification: false,
  });
  return { rows: result.data ?? [], query };
}

export interface FollowupInput {
  memberId: string;
  businessUnitId: string;
  channel: string;
  outcome: string;
  note: string;
  nextOn: string | null;
}

/** Records a follow-up; it closes the member's open care task at that unit. */
export function useRecordFollowup() {
  return useRpcMutation<FollowupInput, Followup>("record_followup", {
    args: (i) => ({
      p_member_id: i.memberId, p_business_unit_id: i.businessUnitId, p_channel: i.channel, p_outcome: i.outcome, p_note: i.note,
      p_next_on: i.nextOn,
    }),
    invalidates: ["member_followups", "care_tasks"],
  });
}

/** Birthdays and anniversaries of a unit's members in the next `days` days. */
export function useCareReminders(businessUnitId: string | undefined, days: number) {
  return useQuery({
    queryKey: ["rpc", "care_reminders", businessUnitId, days],
    queryFn: () => callRpc<Reminder[]>("care_reminders", { p_business_unit_id: businessUnitId, p_days: days }),
    enabled: !!businessUnitId,
  });
}
