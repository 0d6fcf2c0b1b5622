import { Button, Card, Space, Statistic } from "antd";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { useApprovalCounts } from "../../data/approvals/use-approval-counts";

/** The approvals waiting for the signed-in user and their own pending requests, each a way into the queue. */
export function ApprovalsCard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const counts = useApprovalCounts();
  return (
    <Card title={t("home.approvalsCard")} loading={!counts}>
      <Space size="large" wrap>
        <Button type="text" style={{ height: "auto" }} onClick={() => navigate("/approvals?tab=todo")} aria-label={t("approvals.tabs.todo")}>
          <Statistic title={t("approvals.tabs.todo")} value={counts?.to_decide ?? 0} />
        </Button>
        <Button type="text" style={{ height: "auto" }} onClick={() => navigate("/approvals?tab=mine")} aria-label={t("home.myPendingRequests")}>
          <Statistic title={t("home.myPendingRequests")} value={counts?.my_pending ?? 0} />
        </Button>
      </Space>
    </Card>
  );
}
