/** Life of a versioned definition (forms, entities, rules): the SQL enum public.config_status. */
export const DEFINITION_STATUSES = ["draft", "published", "archived"] as const;
export type DefinitionStatus = (typeof DEFINITION_STATUSES)[number];

export const definitionStatusLabel = (status: string) => `definitionStatuses.${status}`;
