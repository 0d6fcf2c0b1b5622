import { Badge } from "antd";
import { useApprovalCounts } from "../../data/approvals/use-approval-counts";

/** The number of approvals waiting for the signed-in user, beside the menu entry. */
export function ApprovalsMenuBadge() {
  const counts = useApprovalCounts();
  if (!counts?.to_decide) return null;
  return <Badge count={counts.to_decide} size="small" style={{ marginInlineStart: 8 }} />;
}
