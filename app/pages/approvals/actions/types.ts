import type { ComponentType } from "react";
import type { ApprovalRequest } from "../../../data/approvals/types";

export type Translate = (key: string, values?: Record<string, unknown>) => string;

/** How the approval centre shows the requests of one flow action (approval_flows.action). */
export interface ApprovalActionView {
  /** What a request is about, in one line (queue and list rows). */
  subject(request: ApprovalRequest, t: Translate): string;
  /** The request's own facts (a bordered description list under the status). */
  Details: ComponentType<{ request: ApprovalRequest }>;
  /** The amount column of the queue and list (signed points, money...); absent: "—". */
  Amount?: ComponentType<{ request: ApprovalRequest }>;
  /** A card under the details (e.g. the member's points now). */
  Context?: ComponentType<{ request: ApprovalRequest }>;
  /** The timeline's wording of the "executed" event and the message after the final approval. */
  executedLabel?: string;
  approvedMessage?: string;
  /** Where the requester changes and resubmits a rejected, withdrawn or failed request; absent: no resubmission. */
  resubmitPath?(request: ApprovalRequest): string;
}
