import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { localizedName } from "../lib/format";
import type { BusinessUnit } from "../lib/types";
import { useLookup } from "./useLookup";

/** (business unit id) → its name in the current language; "—" for none. */
export function useUnitName() {
  const { i18n } = useTranslation();
  const units = useLookup<BusinessUnit>("business_units");
  return useCallback(
    (id: string | null | undefined) => (id ? localizedName(units.map.get(id), i18n.language) : "—"),
    [units.map, i18n.language],
  );
}
