import { useList, type BaseRecord } from "@refinedev/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import {
  BUSINESS_UNIT_KINDS, businessUnitKindLabel, channelLabel, LOT_KINDS, lotKindLabel, MEMBER_STATUSES, memberStatusLabel, TRANSACTION_CHANNELS,
} from "../../../../core/enums/index.ts";
import type { ContextValues } from "../../../../core/rule-kinds/index.ts";
import { localizedName } from "../../../lib/format";

export interface ValueOption {
  name: string;
  value: string;
  label: string;
}
export type ValueLists = Record<ContextValues | "tierRanks", ValueOption[]>;

interface NamedRow extends BaseRecord {
  code: string;
  name: string;
  name_en: string | null;
}

function useNamedRows(resource: string, sortField: string) {
  const { query, result } = useList<NamedRow>({
    resource,
    sorters: [{ field: sortField, order: "asc" }],
    pagination: { mode: "off" },
    meta: { select: "id,code,name,name_en" },
    errorNotification: false,
  });
  return query.isSuccess ? result.data : [];
}

/** The lists of values context fields take (ContextField.values): enums in the user's language, tiers and units from the database. */
export function useValueLists(): ValueLists {
  const { t, i18n } = useTranslation();
  const tiers = useNamedRows("tiers", "rank");
  const units = useNamedRows("business_units", "code");
  return useMemo(() => {
    const option = (name: string, label: string): ValueOption => ({ name, value: name, label });
    const named = (rows: NamedRow[]) => rows.map((r) => option(r.code, localizedName(r, i18n.language)));
    return {
      tiers: named(tiers),
      tierRanks: tiers.map((r, rank) => option(String(rank), localizedName(r, i18n.language))),
      businessUnits: named(units),
      unitKinds: BUSINESS_UNIT_KINDS.map((k) => option(k, t(businessUnitKindLabel(k)))),
      channels: TRANSACTION_CHANNELS.map((c) => option(c, t(channelLabel(c)))),
      lotKinds: LOT_KINDS.map((k) => option(k, t(lotKindLabel(k)))),
      memberStatuses: MEMBER_STATUSES.map((s) => option(s, t(memberStatusLabel(s)))),
    };
  }, [tiers, units, t, i18n.language]);
}
