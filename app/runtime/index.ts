/** Run-time renderers: entity pages generated from definitions in Supabase, and schema-driven display. */
export { EntityRoutes } from "./EntityRoutes";
export { entityDataProvider } from "./entity-data-provider";
export { useEntityResources } from "./resources";
export { SchemaFields, type SchemaFieldsProps } from "./SchemaFields";
export { refreshEntities, usePublishedEntities, useDefinitionVersion, type EntityDefinition } from "./definitions";
