import type { CampaignOffer } from "../../data/campaigns";

type Translate = (key: string, values?: Record<string, unknown>) => string;

/** An offer in words: "积分倍数 ×2", "发放权益 停车券 · 每人 1 次", "推送消息：…". */
export function offerText(offer: CampaignOffer | null | undefined, t: Translate, benefitName?: (key: string) => string): string {
  if (!offer) return "—";
  const kind = t(`campaigns.offerKinds.${offer.kind}`);
  if (offer.kind === "points_multiplier") return t("campaigns.offerText.multiplier", { kind, multiplier: offer.multiplier ?? "—" });
  if (offer.kind === "benefit_grant") {
    return t("campaigns.offerText.benefit", { kind, benefit: offer.benefit_key ? (benefitName?.(offer.benefit_key) ?? offer.benefit_key) : "—", count: offer.uses ?? 1 });
  }
  return t("campaigns.offerText.message", { kind, template: offer.message ?? "" });
}
