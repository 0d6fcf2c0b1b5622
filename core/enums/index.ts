/** Lists and limits shared by the app, the engine and the stack; SQL guards the same values. */
export * from "./access-matrix.ts";
export * from "./approvals.ts";
export * from "./benefits.ts";
export * from "./business-unit-kinds.ts";
export * from "./campaigns.ts";
export * from "./card-types.ts";
export * from "./definition-statuses.ts";
export * from "./entity-system-columns.ts";
export * from "./limits.ts";
export * from "./lot-kinds.ts";
export * from "./member-statuses.ts";
export * from "./patterns.ts";
export * from "./roles.ts";
export * from "./settlement.ts";
export * from "./transaction-channels.ts";
export * from "./tier-offers.ts";
export * from "./notifications.ts";
