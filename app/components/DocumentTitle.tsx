import { useParsed } from "@refinedev/core";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

/**
 * The browser tab title: "<resource label> | <app title>". Refine's DocumentTitleHandler would also
 * look up its own English title keys on every navigation, which we do not use.
 */
export function DocumentTitle() {
  const { t } = useTranslation();
  const { resource } = useParsed();
  const label = resource && resource.name !== "home" ? (resource.meta?.label ?? t(`${resource.name}.${resource.name}`)) : undefined;
  const title = label ? `${label} | ${t("app.title")}` : t("app.title");
  useEffect(() => {
    document.title = title;
  }, [title]);
  return null;
}
