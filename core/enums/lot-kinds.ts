/**
 * Kinds of point lots: how points were obtained. Guarded by the point_lots.kind and rules.lot_kind checks;
 * the default validity per kind is private.default_expiry (tests/db/registry-parity.test.ts compares both).
 */
export const LOT_KINDS = ["shopping", "campaign", "compensation", "birthday", "adjustment", "other"] as const;
export type LotKind = (typeof LOT_KINDS)[number];
export const isLotKind = (value: unknown): value is LotKind => (LOT_KINDS as readonly unknown[]).includes(value);

/** The kind of a lot when an earning rule names none. */
export const DEFAULT_LOT_KIND: LotKind = "shopping";

/** Days a lot stays valid when no expiry rule says otherwise. */
export const LOT_VALIDITY_DAYS: Record<LotKind, number> = {
  shopping: 365,
  campaign: 90,
  compensation: 365,
  birthday: 90,
  adjustment: 365,
  other: 365,
};

const DAY_MS = 86_400_000;

/** The default expiry instant (ms) of a lot earned at `earnedMs`; unknown kinds get the longest validity. */
export function defaultLotExpiry(kind: string, earnedMs: number): number {
  const days = (LOT_VALIDITY_DAYS as Record<string, number>)[kind] ?? 365;
  return earnedMs + days * DAY_MS;
}

export const lotKindLabel = (kind: string) => `lotKinds.${kind}`;
