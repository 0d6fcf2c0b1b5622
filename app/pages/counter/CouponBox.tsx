import { Alert, Button, Form, Input, Space, Switch } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useConfirmedCall } from "../../components/useConfirmedCall";
import { normalizeCouponCode } from "../../../core/enums/index.ts";
import { benefitRefusalLabel } from "../../data/benefits/labels";
import { useRedeemCoupon } from "../../data/benefits/mutations";
import type { BenefitGrant, UsableBenefit } from "../../data/benefits/types";
import { callRpc } from "../../data/rpc";
import { formatDateTime, localizedName } from "../../lib/format";
import { newIdempotencyKey } from "../../lib/ids";
import { localizeRpcError } from "../../lib/rpc-errors";
import { dataProvider } from "../../providers/data-provider";
import { benefitKindText } from "../benefits/describe";


/** Why a grant missing from usable_benefits cannot be used, from its status. */
const refusalOfStatus = (status: string) => (status === "used_up" ? "used_up" : status === "expired" ? "expired" : "not_eligible");

/**
 * 券码核销: finds the coupon by its code and asks the server, before any confirmation, whether it is usable at
 * this unit (the same answer as the counter list: used up, expired, not accepted here...); then redeem_coupon
 * with a key drawn for that confirmation (a double click posts once).
 */
export function CouponBox({ unitId, unitLabel }: { unitId: string; unitLabel: string }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<{ code: string; with_points: boolean }>();
  const redeem = useRedeemCoupon();
  const { error, result, setResult, confirm } = useConfirmedCall<string>();
  const [problem, setProblem] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const c = (key: string, values?: Record<string, unknown>) => t(`counter.coupon.${key}`, values);

  /** The coupon as the server sees it at this unit; null when no coupon has that code (for this user). */
  const lookUp = async (code: string): Promise<{ grant: BenefitGrant; usable: UsableBenefit | null; member: { name: string; member_no: string } | null } | null> => {
    const { data } = await dataProvider.getList<BenefitGrant & { members: { name: string; member_no: string } | null }>({
      resource: "benefit_grants",
      filters: [{ field: "code", operator: "eq", value: code }],
      pagination: { currentPage: 1, pageSize: 1 },
      meta: { select: "*, members(name, member_no)" },
    });
    const grant = data[0];
    if (!grant) return null;
    const rows = await callRpc<UsableBenefit[]>("usable_benefits", { p_member_id: grant.member_id, p_business_unit_id: unitId });
    return { grant, usable: rows.find((row) => row.grant_id === grant.id) ?? null, member: grant.members };
  };

  const next = async () => {
    setProblem(null);
    setResult(null);
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const code = normalizeCouponCode(v.code);
    setChecking(true);
    let found: Awaited<ReturnType<typeof lookUp>>;
    try {
      found = await lookUp(code);
    } catch (failure) {
      setProblem(localizeRpcError(failure, t));
      return;
    } finally {
      setChecking(false);
    }
    if (!found) {
      setProblem(t("errors.reasons.coupon_unknown", { defaultValue: c("unknown") }));
      return;
    }
    const { grant, usable, member } = found;
    const refusal = usable ? (usable.usable ? null : usable.refusal ?? "not_eligible") : refusalOfStatus(grant.status);
    if (refusal) {
      setProblem(c("refused", { code, reason: t(benefitRefusalLabel(refusal)) }));
      return;
    }
    if (v.with_points && usable && !usable.stacks_with_points) {
      setProblem(c("refused", { code, reason: t(benefitRefusalLabel("does_not_stack")) }));
      return;
    }
    const idempotencyKey = newIdempotencyKey();
    const name = usable ? localizedName(usable, i18n.language) : code;
    confirm({
      title: c("confirmTitle"),
      content: c("confirmContent", {
        code,
        benefit: name,
        worth: usable ? benefitKindText(usable.kind, usable.value, t) : "",
        member: member ? `${member.name}（${member.member_no}）` : "—",
        until: formatDateTime(grant.valid_until),
        unit: unitLabel,
      }),
      okText: c("ok"),
      run: async () => {
        const r = await redeem.mutateAsync({ code, businessUnitId: unitId, withPoints: !!v.with_points, idempotencyKey });
        form.resetFields();
        return c("done", { code, benefit: name, uses: r.uses });
      },
    });
  };

  return (
    <Form form={form} layout="vertical" initialValues={{ with_points: false }} onValuesChange={() => setProblem(null)}>
      <Form.Item name="code" label={c("code")} normalize={(value: string) => value?.toUpperCase()}
        rules={[{ required: true, whitespace: true, message: c("codeRequired") }, { max: 32, message: c("codeRequired") }]}>
        <Input placeholder={c("placeholder")} maxLength={32} autoComplete="off" onPressEnter={() => void next()} />
      </Form.Item>
      <Form.Item name="with_points" label={c("withPoints")} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Space direction="vertical" style={{ width: "100%" }}>
        <Button type="primary" loading={checking || redeem.isPending} onClick={() => void next()}>{c("redeem")}</Button>
        {(problem ?? error) && <Alert type="error" showIcon message={problem ?? error} data-testid="coupon-problem" />}
        {result && <Alert type="success" showIcon message={result} data-testid="coupon-done" />}
      </Space>
    </Form>
  );
}
