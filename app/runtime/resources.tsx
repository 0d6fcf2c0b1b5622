import { AppstoreOutlined, TableOutlined } from "@ant-design/icons";
import type { ResourceProps } from "@refinedev/core";
import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { Rules } from "../access/permissions";
import i18n from "../i18n";
import type { Role } from "../access/my-access";
import { entityTitle, usePublishedEntities, useRefreshEntitiesOnSignIn, type EntityDefinition } from "./definitions";
import { resourceName } from "./entity-data-provider";

const ENTITIES_GROUP = "entities";

/** Who may do what on an entity, from its published definition (read by the access control provider from the resource's meta). */
function entityRules(definition: EntityDefinition): Rules {
  const list = (definition.permissions.list ?? []) as Role[];
  return {
    list,
    show: list,
    create: (definition.permissions.create ?? []) as Role[],
    edit: (definition.permissions.edit ?? []) as Role[],
    delete: (definition.permissions.delete ?? []) as Role[],
  };
}

/** Refine resource of one custom entity: pages at /e/<key>, rows through the "entities" data provider. */
export function entityResource(definition: EntityDefinition, language: string): ResourceProps {
  const key = definition.key;
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
      rules: entityRules(definition),
    },
  };
}

/**
 * Refine names a resource in its own messages ("已成功新建…", "已成功删除…") by translating
 * `<name>.<name>`: that key is the entity's title, in both languages.
 */
function useResourceLabels(definitions: EntityDefinition[]) {
  useEffect(() => {
    for (const definition of definitions) {
      const name = resourceName(definition.key);
      for (const language of ["zh-CN", "en"]) i18n.addResourceBundle(language, "translation", { [name]: { [name]: entityTitle(definition, language) } }, true, true);
    }
  }, [definitions]);
}

/**
 * The app's static resources plus one per published custom entity, under a menu group that only
 * exists while there is at least one. Built-in entities keep their own routes.
 */
export function useEntityResources(base: ResourceProps[]): ResourceProps[] {
  const { t, i18n } = useTranslation();
  useRefreshEntitiesOnSignIn();
  const definitions = usePublishedEntities();
  const custom = useMemo(() => definitions.filter((d) => !d.source_table), [definitions]);
  useResourceLabels(custom);
  const language = i18n.language;
  return useMemo(() => {
    if (!custom.length) return base;
    const anyList = [...new Set(custom.flatMap((d) => d.permissions.list ?? []))] as Role[];
    const group: ResourceProps = { name: ENTITIES_GROUP, meta: { label: t("builder.menu.entities"), icon: <AppstoreOutlined />, rules: { list: anyList } } };
    return [...base, group, ...custom.map((d) => entityResource(d, language))];
  }, [base, custom, language, t]);
}
