import { Result, Spin } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { usePublishedEntity, type EntityDefinition } from "../definitions";

/** The published definition of `key` (by default the page's entity, `/e/:entity/...`), or what to show instead. */
export function useEntityPage(key?: string): { definition?: EntityDefinition; fallback?: ReactNode } {
  const { t } = useTranslation();
  const { entity } = useParams();
  const wanted = key ?? entity;
  const { definition, loaded } = usePublishedEntity(wanted);
  if (definition) return { definition };
  return { fallback: loaded ? <Result status="404" title="404" subTitle={t("builder.runtime.noEntity", { key: wanted })} /> : <Spin style={{ margin: 48 }} /> };
}
