import { useCreate } from "@refinedev/core";
import { Button, Form, Input, Select, Space } from "antd";
import { LinkOutlined } from "@ant-design/icons";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { usePostingUnitField } from "../../../access/use-posting-units";
import { RpcErrorAlert } from "../../../components/RpcErrorAlert";
import { localizeRpcError } from "../../../lib/rpc-errors";
import { nameOptions } from "../../../lib/format";
import type { Member } from "../../../lib/types";

interface Values {
  business_unit_id: string;
  external_id: string;
}

/** 绑定业态身份: a unit's own member id for this member, in the units the user works for. */
export function LinkIdentityForm({ member }: { member: Member }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const units = usePostingUnitField(form, member.home_business_unit_id);
  const { mutateAsync, mutation } = useCreate();
  const [error, setError] = useState<string | null>(null);
  const f = (key: string) => t(`member_identities.${key}`);

  const link = async (values: Values) => {
    setError(null);
    try {
      await mutateAsync({
        resource: "member_identities",
        values: { member_id: member.id, business_unit_id: values.business_unit_id, external_id: values.external_id.trim() },
        successNotification: () => ({ type: "success", message: f("linked") }),
        errorNotification: false,
      });
      form.resetFields(["external_id"]);
    } catch (failure) {
      setError(localizeRpcError(failure, t, { "42501": t("member_identities.notYourUnit") }));
    }
  };

  return (
    <>
      <RpcErrorAlert message={error} />
      <Form form={form} layout="inline" onFinish={(v) => void link(v)} style={{ marginBottom: 16 }}>
        <Form.Item name="business_unit_id" label={t("member_identities.fields.business_unit")} rules={[{ required: true, message: f("unitRequired") }]}>
          <Select style={{ width: 180 }} options={nameOptions(units, i18n.language)} />
        </Form.Item>
        <Form.Item
          name="external_id"
          label={t("member_identities.fields.external_id")}
          rules={[{ required: true, whitespace: true, max: 64, message: f("idRequired") }]}
        >
          <Input style={{ width: 200 }} autoComplete="off" />
        </Form.Item>
        <Space>
          <Button htmlType="submit" icon={<LinkOutlined />} loading={mutation.isPending}>
            {f("link")}
          </Button>
        </Space>
      </Form>
    </>
  );
}
