/** i18n key of a rule kind's name, also for kinds read from the database as plain text. */
export const ruleKindLabel = (kind: string) => `rules.kinds.${kind}`;
