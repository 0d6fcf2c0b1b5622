import { App, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { memberContextData, type MemberContextRow } from "../../../core/evaluation/member-data.ts";
import { callRpc } from "../../data/rpc";
import { useRecentMembers } from "../../data/rules/test-cases";

/**
 * Picks one of the recently changed members and hands over the data member-context rules (tier, tagging, reminder)
 * receive for them (public.rule_member_context read with the user's rights, shaped by core/evaluation/member-data.ts
 * as the engine's jobs shape it): the member, their statistics and now, as the kind's context has them.
 */
export function MemberPicker({ kind, onPick }: { kind: string; onPick: (data: Record<string, unknown>) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [loading, setLoading] = useState(false);
  const recent = useRecentMembers(open);

  const pick = async (id: string, memberNo: string) => {
    setLoading(true);
    try {
      const row = await callRpc<MemberContextRow | null>("rule_member_context", { p_member_id: id });
      if (!row) throw new Error("not readable");
      onPick(memberContextData(kind, row));
      message.success(t("rules.bench.pickedMember", { memberNo }));
    } catch {
      message.error(t("rules.bench.pickMemberFailed"));
    } finally {
      setLoading(false);
    }
  };

  const options = (recent.data ?? []).map((r) => ({ value: r.id, memberNo: r.member_no, label: `${r.member_no} · ${r.name ?? ""}` }));
  return (
    <Select
      aria-label={t("rules.bench.pickMember")}
      data-testid="bench-member-picker"
      placeholder={t("rules.bench.pickMemberPlaceholder")}
      style={{ minWidth: 280 }}
      loading={recent.isLoading || loading}
      onOpenChange={(visible) => visible && setOpen(true)}
      value={null}
      onChange={(id: string) => void pick(id, options.find((o) => o.value === id)?.memberNo ?? "")}
      options={options}
    />
  );
}
