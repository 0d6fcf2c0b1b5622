/**
 * Text patterns the database checks, as regular-expression sources usable both in JavaScript and in
 * JSON Schema "pattern". tests/db/registry-parity.test.ts compares each with its check constraint.
 */
/** Mainland mobile number (members.phone). */
export const PHONE_PATTERN = "^1[3-9][0-9]{9}$";
/** Codes of business units and tiers. */
export const CODE_PATTERN = "^[a-z][a-z0-9_-]{1,31}$";
/** Rule keys (rules.key). */
export const RULE_KEY_PATTERN = "^[a-z][a-z0-9_.-]{1,63}$";
/** Form keys (form_definitions.key). */
export const FORM_KEY_PATTERN = "^[a-z][a-z0-9_-]{1,63}$";
/** Entity keys (entity_definitions.key): also a resource name and a URL segment. */
export const ENTITY_KEY_PATTERN = "^[a-z][a-z0-9_]{1,47}$";
/** Channel names of purchases and notifications. */
export const CHANNEL_PATTERN = "^[a-z][a-z0-9_-]{0,31}$";
/** A reference to a row by id. */
export const UUID_PATTERN = "^[0-9a-fA-F-]{36}$";
