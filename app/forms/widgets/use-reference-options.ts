import { useEffect, useState } from "react";
import { supabaseClient } from "../../providers/supabase-client";

export interface ReferenceRow {
  id: string;
  name: string;
  name_en?: string | null;
  code?: string;
}

const cache = new Map<string, Promise<ReferenceRow[]>>();

/** Rows of a small reference table (id, name, name_en), fetched once per page load and shared. */
export function loadReference(resource: string): Promise<ReferenceRow[]> {
  let rows = cache.get(resource);
  if (!rows) {
    rows = Promise.resolve(
      supabaseClient.from(resource).select("id, name, name_en, code").order("code").limit(1000),
    ).then(({ data, error }) => {
      if (error) {
        cache.delete(resource);
        return [];
      }
      return (data ?? []) as ReferenceRow[];
    });
    cache.set(resource, rows);
  }
  return rows;
}

export function useReferenceOptions(resource: string) {
  const [rows, setRows] = useState<ReferenceRow[] | null>(null);
  useEffect(() => {
    let live = true;
    void loadReference(resource).then((loaded) => live && setRows(loaded));
    return () => {
      live = false;
    };
  }, [resource]);
  return { rows: rows ?? [], loading: rows === null };
}
