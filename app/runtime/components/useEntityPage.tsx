import { Result, Spin } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { usePublishedEntity, type EntityDefinition } from "../definitions";

/** The published definition of the page's entity (`/e/:entity/...`), or what to show instead. */
export function useEntityPage(): { definition?: EntityDefinition; fallback?: ReactNode } {
  const { t } = useTranslation();
  const { entity } = useParams();
  const { definition, loaded } = usePublishedEntity(entity);
  if (definition) return { definition };
  return { fallback: loaded ? <Result status="404" title="404" subTitle={t("builder.runtime.noEntity", { key: entity })} /> : <Spin style={{ margin: 48 }} /> };
}
