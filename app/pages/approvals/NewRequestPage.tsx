import { useOne, useWarnAboutChange } from "@refinedev/core";
import { Create } from "@refinedev/antd";
import { Alert, Button, Form, Result, Select, Spin } from "antd";
import { useEffect, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { usePostingUnits } from "../../access/use-posting-units";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useConfirmedCall } from "../../components/useConfirmedCall";
import { useSubmitApproval } from "../../data/approvals/mutations";
import { ADJUSTMENT_FLOW, ADJUSTMENT_FORM, type AdjustmentData, type ApprovalRequest } from "../../data/approvals/types";
import { usePublishedForm } from "../../data/forms/use-published-form";
import { useMemberBalance } from "../../data/points/use-member-balance";
import { SchemaForm } from "../../forms/SchemaForm";
import { formatCount, localizedName } from "../../lib/format";
import { newIdempotencyKey } from "../../lib/ids";
import type { Member } from "../../lib/types";

const FORM_ID = "approval-request-form";

/**
 * 新建申请: the published points-adjustment form for a member (?member=) or a resubmission of an earlier
 * request (?from=), the unit it is for, a confirmation, then the request's page.
 */
export function NewRequestPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const fromId = params.get("from");
  const form = usePublishedForm(ADJUSTMENT_FORM);
  const { result: from } = useOne<ApprovalRequest>({ resource: "approval_requests", id: fromId ?? "", queryOptions: { enabled: !!fromId } });
  const [draft, setDraft] = useState<Partial<AdjustmentData>>({});
  const memberId = draft.member_id ?? from?.data.member_id ?? params.get("member") ?? undefined;
  const { result: member } = useOne<Member>({ resource: "members", id: memberId ?? "", queryOptions: { enabled: !!memberId } });
  const { balance } = useMemberBalance(memberId);
  const { units, defaultId, loading } = usePostingUnits(from?.business_unit_id ?? member?.home_business_unit_id);
  const [unitId, setUnitId] = useState<string | undefined>();
  const chosenUnit = unitId ?? defaultId;
  const [key] = useState(newIdempotencyKey);
  const submit = useSubmitApproval();
  const { error, result, confirm } = useConfirmedCall<ApprovalRequest>();
  const { setWarnWhen } = useWarnAboutChange();
  const dirty = Object.keys(draft).length > 0 && !result;
  useEffect(() => {
    setWarnWhen(dirty);
    return () => setWarnWhen(false);
  }, [dirty, setWarnWhen]);
  useEffect(() => {
    if (!result) return;
    navigate(`/approvals?tab=mine&request=${result.id}`);
  }, [result, navigate]);

  const initial: Partial<AdjustmentData> = from ? from.data : { member_id: params.get("member") ?? undefined, lot_kind: "compensation" };
  const formData = { ...initial, ...draft };
  const tooMuch = (formData.points ?? 0) < 0 && balance !== undefined && -(formData.points ?? 0) > balance;

  const next = (values: AdjustmentData) => {
    const unit = units.find((u) => u.id === chosenUnit);
    if (!unit || tooMuch || !values.points) return;
    confirm({
      title: t("approvals.new.confirmTitle"),
      content: t(values.points > 0 ? "approvals.new.confirmGrant" : "approvals.new.confirmDeduct", {
        name: member?.name ?? "",
        points: formatCount(Math.abs(values.points)),
        unit: localizedName(unit, i18n.language),
      }),
      okText: t("approvals.new.submit"),
      run: async () => {
        const request = await submit.mutateAsync({ flowKey: ADJUSTMENT_FLOW, businessUnitId: unit.id, data: values, key, resubmissionOf: fromId ?? undefined });
        setWarnWhen(false); // before the navigation to the request, or the unsaved-changes guard would stop it
        return request;
      },
    });
  };

  const body = () => {
    if (form === null) return <Result status="warning" subTitle={t("approvals.new.noForm")} />;
    if (!loading && !units.length) return <Result status="warning" subTitle={t("transactions.record.noUnit")} />;
    if (!form || (fromId && !from)) return <Spin />;
    return (
      <>
        <RpcErrorAlert message={error} />
        {fromId && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t("approvals.new.resubmitNote")} />}
        <Form layout="vertical">
          <Form.Item label={t("approvals.fields.unit")} required>
            <Select
              aria-label={t("approvals.fields.unit")}
              value={chosenUnit}
              onChange={setUnitId}
              options={units.map((unit) => ({ value: unit.id, label: localizedName(unit, i18n.language) }))}
              style={{ maxWidth: 320 }}
            />
          </Form.Item>
        </Form>
        {member && balance !== undefined && (
          <Alert
            type={tooMuch ? "error" : "info"}
            showIcon
            style={{ marginBottom: 16 }}
            message={tooMuch
              ? t("approvals.new.overBalance", { balance: formatCount(balance) })
              : t("approvals.new.balance", { name: member.name, balance: formatCount(balance) })}
          />
        )}
        <SchemaForm
          id={FORM_ID}
          schema={form.schema}
          uiSchema={form.ui_schema}
          formData={formData as Record<string, unknown>}
          onChange={(data) => setDraft(data as Partial<AdjustmentData>)}
          onSubmit={(data) => next(data as unknown as AdjustmentData)}
        />
      </>
    );
  };

  return (
    <Create
      title={t(fromId ? "approvals.new.resubmitTitle" : "approvals.new.title")}
      footerButtons={
        <Button type="primary" htmlType="submit" form={FORM_ID} loading={submit.isPending} disabled={!form || !chosenUnit || tooMuch}>
          {t("approvals.new.submit")}
        </Button>
      }
    >
      {body()}
    </Create>
  );
}
