import { List } from "@refinedev/antd";
import { useCan } from "@refinedev/core";
import { ApartmentOutlined, PlusOutlined } from "@ant-design/icons";
import { Badge, Button, Drawer, Grid, Space, Tabs } from "antd";
import { useNavigate, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { useApprovalCounts } from "../../data/approvals/use-approval-counts";
import { RequestDetail } from "./RequestDetail";
import { RequestList } from "./RequestList";
import { TaskQueue } from "./TaskQueue";

const TABS = ["todo", "mine", "all"] as const;

/** 审批中心: my tasks to decide, my own requests, every request I may see; a request opens in a drawer. */
export function ApprovalsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const counts = useApprovalCounts();
  const { data: canCreate } = useCan({ resource: "approvals", action: "create" });
  const { data: canEditFlows } = useCan({ resource: "approval_flows", action: "list" });
  const screens = Grid.useBreakpoint();
  const tab = TABS.find((key) => key === params.get("tab")) ?? "todo";
  const requestId = params.get("request");
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    setParams(next);
  };
  const openRequest = (id: string) => set({ request: id });

  return (
    <List
      title={t("approvals.titles.list")}
      headerButtons={(
        <Space wrap>
          {canEditFlows?.can && <Button icon={<ApartmentOutlined />} onClick={() => navigate("/approvals/flows")}>{t("approvals.flows.title")}</Button>}
          {canCreate?.can && <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate("/approvals/new")}>{t("approvals.actions.new")}</Button>}
        </Space>
      )}
    >
      <Tabs
        activeKey={tab}
        onChange={(key) => set({ tab: key, request: null })}
        items={[
          { key: "todo", label: <Badge count={counts?.to_decide ?? 0} offset={[12, 0]} size="small">{t("approvals.tabs.todo")}</Badge>, children: tab === "todo" ? <TaskQueue onOpen={openRequest} /> : null },
          { key: "mine", label: t("approvals.tabs.mine"), children: tab === "mine" ? <RequestList mine onOpen={openRequest} /> : null },
          { key: "all", label: t("approvals.tabs.all"), children: tab === "all" ? <RequestList mine={false} onOpen={openRequest} /> : null },
        ]}
      />
      <Drawer
        open={!!requestId}
        onClose={() => set({ request: null })}
        title={t("approvals.titles.detail")}
        width={screens.md ? 640 : "100%"}
        destroyOnHidden
      >
        {requestId && <RequestDetail requestId={requestId} />}
      </Drawer>
    </List>
  );
}
