import { CHANNEL_PATTERN } from "./patterns.ts";

/**
 * Where a purchase was made. The database accepts any name matching CHANNEL_PATTERN
 * (transactions.channel); these are the ones the back office offers and labels.
 */
export const TRANSACTION_CHANNELS = ["front_desk", "pos", "mini_program", "app", "online", "import"] as const;
export type TransactionChannel = (typeof TRANSACTION_CHANNELS)[number];

/** The channel record_transaction assumes when none is given. */
export const DEFAULT_RECORDING_CHANNEL: TransactionChannel = "front_desk";
/** The column default of transactions.channel (rows written without one, e.g. imports of old data). */
export const DEFAULT_STORED_CHANNEL: TransactionChannel = "pos";

export const isChannelName = (value: string) => new RegExp(CHANNEL_PATTERN).test(value);
export const channelLabel = (channel: string) => `channels.${channel}`;
