import { AppstoreOutlined, TableOutlined } from "@ant-design/icons";
import type { ResourceProps } from "@refinedev/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { setRuntimeRules } from "../access/permissions";
import i18n from "../i18n";
import type { Role } from "../access/my-access";
import { entityTitle, usePublishedEntities, type EntityDefinition } from "./definitions";
import { resourceName } from "./entity-data-provider";

const ENTITIES_GROUP = "entities";

/**
 * Refine names a resource in its own messages ("已成功新建…", "已成功删除…") by translating
 * `<name>.<name>`: that key is the entity's title, in both languages.
 */
function labelResource(name: string, definition: EntityDefinition) {
  for (const language of ["zh-CN", "en"]) i18n.addResourceBundle(language, "translation", { [name]: { [name]: entityTitle(definition, language) } }, true, true);
}

/** Refine resource of one custom entity: pages at /e/<key>, rows through the "entities" data provider. */
export function entityResource(definition: EntityDefinition, language: string): ResourceProps {
  const key = definition.key;
  const list = (definition.permissions.list ?? []) as Role[];
  setRuntimeRules(resourceName(key), {
    list,
    show: list,
    create: (definition.permissions.create ?? []) as Role[],
    edit: (definition.permissions.edit ?? []) as Role[],
    delete: (definition.permissions.delete ?? []) as Role[],
  });
  labelResource(resourceName(key), definition);
  return {
    name: resourceName(key),
    identifier: resourceName(key),
    list: `/e/${key}`,
    create: `/e/${key}/create`,
    edit: `/e/${key}/edit/:id`,
    show: `/e/${key}/show/:id`,
    meta: {
      label: entityTitle(definition, language),
      parent: ENTITIES_GROUP,
      icon: <TableOutlined />,
      dataProviderName: "entities",
      canDelete: true,
    },
  };
}

/**
 * The app's static resources plus one per published custom entity, under a menu group that only
 * exists while there is at least one. Built-in entities keep their own pages.
 */
export function useEntityResources(base: ResourceProps[]): ResourceProps[] {
  const { t, i18n } = useTranslation();
  const definitions = usePublishedEntities();
  const language = i18n.language;
  return useMemo(() => {
    const custom = definitions.filter((d) => !d.source_table);
    if (!custom.length) return base;
    const anyList = [...new Set(custom.flatMap((d) => d.permissions.list ?? []))] as Role[];
    setRuntimeRules(ENTITIES_GROUP, { list: anyList });
    const group: ResourceProps = { name: ENTITIES_GROUP, meta: { label: t("builder.menu.entities"), icon: <AppstoreOutlined /> } };
    return [...base, group, ...custom.map((d) => entityResource(d, language))];
  }, [base, definitions, language, t]);
}
