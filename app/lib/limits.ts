/** Amount limits the database enforces (public.record_transaction); the forms check them before confirming. */
export const MAX_TRANSACTION_YUAN = 10_000_000;
