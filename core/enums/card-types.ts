/**
 * Stored-value cards (储值卡): card types, statuses, the payment channels of a recharge, the kinds of card
 * ledger entries and the limits. SQL holds the same (public.card_types, the card_status enum, the
 * card_ledger checks, private.card_limits()); tests/db/cards.test.ts compares them.
 */
export const CARD_TYPES = ["personal", "associated", "group", "gold", "silver", "standard", "vip", "supplementary"] as const;
export type CardType = (typeof CARD_TYPES)[number];

export const CARD_STATUSES = ["active", "frozen", "lost", "cancelled", "replaced"] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

/** How a recharge was paid (the seeded stored-value-recharge form's payment_method). */
export const PAYMENT_CHANNELS = ["cash", "card", "wechat", "alipay", "transfer"] as const;
export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];

export const CARD_ENTRY_KINDS = ["issue", "recharge", "consume", "refund", "transfer_out", "transfer_in"] as const;
export type CardEntryKind = (typeof CARD_ENTRY_KINDS)[number];

/** Status changes set_card_status accepts, with the statuses each starts from. */
export const CARD_ACTIONS = {
  freeze: ["active"],
  unfreeze: ["frozen"],
  report_loss: ["active", "frozen"],
  cancel_loss: ["lost"],
  cancel: ["active", "frozen", "lost"],
} as const satisfies Record<string, readonly CardStatus[]>;
export type CardAction = keyof typeof CARD_ACTIONS;
/** Statuses a card may be replaced from. */
export const REPLACEABLE_CARD_STATUSES: readonly CardStatus[] = ["active", "frozen", "lost"];

/** Amounts in fen (1/100 yuan). */
export const CARD_LIMITS = {
  max_amount_fen: 100_000_000,
  staff_cap_fen: 5_000_000,
  max_balance_fen: 1_000_000_000,
  bulk_max_items: 200,
  reason_max_length: 500,
} as const;

/** Card numbers: 4 to 32 capital letters or digits (lower case is upper-cased by the database). */
export const CARD_NO_PATTERN = "^[A-Z0-9]{4,32}$";

export const cardTypeLabel = (code: string) => `cardTypes.${code}`;
export const cardStatusLabel = (status: string) => `cardStatuses.${status}`;
export const paymentChannelLabel = (channel: string) => `paymentChannels.${channel}`;
export const cardEntryKindLabel = (kind: string) => `cardEntryKinds.${kind}`;

/** Yuan with two decimals from fen. */
export const fenToYuan = (fen: number | string | bigint) => (Number(fen) / 100).toFixed(2);
/** Fen from a yuan amount (rounded to the fen); NaN when not a number. */
export const yuanToFen = (yuan: number) => Math.round(yuan * 100);
