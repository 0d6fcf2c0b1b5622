import { EXACT_FILTER, plainText } from "../fragment.ts";
import type { FieldTypeModule } from "../module.ts";

/** Any other property (e.g. a seeded list of tags): shown as text and kept exactly as stored. */
export const rawType = {
  name: "raw",
  position: 160,
  recognition: 1000,
  palette: false,
  recognises: () => true,
  fragment: (field) => {
    const { title: _t, title_en: _te, description: _d, description_en: _de, ...rest } = field.raw?.schema ?? {};
    return rest;
  },
  builder: {},
  format: plainText,
  filter: EXACT_FILTER,
} satisfies FieldTypeModule<"raw">;
