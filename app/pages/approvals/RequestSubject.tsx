import { useTranslation } from "react-i18next";
import type { ApprovalRequest } from "../../data/approvals/types";
import { approvalActionView, type ApprovalActionView } from "./actions";

/** What a request is about, in one line (its action's wording). */
export function requestSubjectText(request: ApprovalRequest | undefined, t: Parameters<ApprovalActionView["subject"]>[1]): string {
  return request ? approvalActionView(request.action).subject(request, t) : t("approvals.fields.member");
}

/** A request's amount as its action shows it (signed points...); "—" for an action without one. */
export function RequestAmount({ request }: { request: ApprovalRequest | undefined }) {
  const { t } = useTranslation();
  const Amount = request ? approvalActionView(request.action).Amount : undefined;
  return Amount && request ? <Amount request={request} /> : <>{t("common.none")}</>;
}
