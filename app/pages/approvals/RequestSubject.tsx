import { useTranslation } from "react-i18next";
import type { ApprovalRequest } from "../../data/approvals/types";
import { SignedPoints } from "../members/member-360/SignedPoints";

/** What a request is about, in one line: the member of an adjustment, or the definition version to publish. */
export function requestSubjectText(request: ApprovalRequest | undefined, t: (key: string, values?: Record<string, unknown>) => string): string {
  if (!request) return t("approvals.fields.member");
  if (request.action === "definition_publish") {
    return t("approvals.publishRequest.subject", { kind: t(`approvals.publishKinds.${request.data.kind}`), name: request.data.name, version: request.data.version });
  }
  return request.members?.name ?? t("approvals.fields.member");
}

/** An adjustment's signed points; "—" for a request without points. */
export function RequestPoints({ request }: { request: ApprovalRequest | undefined }) {
  const { t } = useTranslation();
  return request?.points === null || request?.points === undefined ? <>{t("common.none")}</> : <SignedPoints value={request.points} />;
}
