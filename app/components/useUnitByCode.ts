import { useCallback, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { localizedName } from "../lib/format";
import type { BusinessUnit } from "../lib/types";
import { useLookup } from "./useLookup";

/** (business unit code) → its name in the current language; the code itself when no unit has it. */
export function useUnitByCode() {
  const { i18n } = useTranslation();
  const units = useLookup<BusinessUnit>("business_units");
  const byCode = useMemo(() => new Map(units.rows.map((unit) => [unit.code, unit])), [units.rows]);
  return useCallback((code: string) => (byCode.has(code) ? localizedName(byCode.get(code), i18n.language) : code), [byCode, i18n.language]);
}
