/**
 * Layout of a form in its uiSchema (never in the JSON Schema): a 1- or 2-column grid and titled
 * groups (sections), read by the ObjectFieldTemplate of our theme and written by the form builder.
 *
 *   "ui:options": { "columns": 2, "groups": [{ "title": "车辆", "title_en": "Vehicle", "fields": ["plate"] }] }
 *   "<field>": { "ui:options": { "fullWidth": true } }
 */
export interface FormGroup {
  title?: string;
  title_en?: string;
  fields: string[];
}

export interface FormLayout {
  columns?: 1 | 2;
  groups?: FormGroup[];
}

export type UiSchema = Record<string, unknown>;

export function layoutOf(uiSchema: UiSchema | undefined): FormLayout {
  const options = (uiSchema?.["ui:options"] ?? {}) as FormLayout;
  return { columns: options.columns === 1 ? 1 : options.columns === 2 ? 2 : undefined, groups: options.groups };
}

/**
 * Splits ordered field names into the groups of the layout: fields before the first group's first
 * field, or in no group (e.g. a conditional field that just appeared), go with the group of the
 * field before them, so the order is kept.
 */
export function groupFields(names: string[], groups: FormGroup[] | undefined): { group?: FormGroup; names: string[] }[] {
  if (!groups?.length) return [{ names }];
  const owner = new Map<string, FormGroup>();
  for (const group of groups) for (const name of group.fields) owner.set(name, group);
  const out: { group?: FormGroup; names: string[] }[] = [];
  for (const name of names) {
    const group = owner.get(name);
    const last = out[out.length - 1];
    if (last && (!group || last.group === group)) last.names.push(name);
    else out.push({ group, names: [name] });
  }
  // empty groups (a section with nothing under it yet) still show their title
  for (const group of groups) if (!out.some((g) => g.group === group)) out.push({ group, names: [] });
  return out;
}
