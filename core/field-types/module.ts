/**
 * A field type of forms and entities: how the builder makes it, how the renderer recognises it in a stored
 * JSON Schema, and how lists, filters and exports show it. The stored JSON Schema is the truth: a type
 * recognises its fragment (type, format, enum, the uiSchema's widget). React widgets stay in the app,
 * registered under `widget`.
 */
export type JsonSchema = Record<string, unknown>;
export type FieldUi = Record<string, unknown>;

/** What the builder knows of a field when it writes the field's schema fragment. */
export interface FieldSpec {
  min?: number;
  max?: number;
  pattern?: string;
  default?: string | number | boolean;
  options?: readonly { value: string }[];
  raw?: { schema: JsonSchema };
}

/** What a formatter may use: the app passes its translations and number and time formats. */
export interface FormatContext {
  yes: string;
  no: string;
  /** The label of an option value, when the field has options. */
  optionLabel(value: unknown): string | undefined;
  money(yuan: number): string;
  count(value: number): string;
  dateTime(iso: string): string;
}

export interface FieldFilter {
  /** The control of the filter form. */
  control: "text" | "options" | "yesNo" | "numberRange" | "dateRange" | "reference";
  /** How the value filters rows. */
  operator: "contains" | "eq" | "range";
  /** Range bounds of dates: whole days or instants. */
  bounds?: "day" | "instant";
}

/** The builder's property editors a type offers. */
export interface BuilderSettings {
  /** min/max as a numeric range or as text length. */
  limits?: "range" | "length";
  /** Decimals of the min/max/default inputs. */
  precision?: number;
  pattern?: boolean;
  placeholder?: boolean;
  /** Options: their names label the value itself, or the items of a list. */
  options?: "value" | "items";
  /** New fields of the type take the whole row. */
  fullWidth?: boolean;
  default?: "text" | "number" | "switch" | "option";
  /** Whether other fields may be shown only for some of its values. */
  controlsVisibility?: boolean;
}

export interface FieldTypeModule<N extends string = string> {
  name: N;
  /** Where the builder's palette shows it (ascending; unique). */
  position: number;
  /**
   * When the renderer asks it whether a stored property is of its type (ascending): types named by their
   * widget first, general types (text, raw) last.
   */
  recognition: number;
  /** Offered by the builder's palette. */
  palette: boolean;
  /** uiSchema `ui:widget` the builder writes and the renderer recognises. */
  widget?: string;
  /** Whether a stored property (schema + uiSchema) is of this type. */
  recognises(schema: JsonSchema | undefined, ui: FieldUi): boolean;
  /** The JSON Schema of a builder field, without its labels. */
  fragment(field: FieldSpec): JsonSchema;
  /** The type the builder edits a recognised property as; another type when it could not keep it as is. */
  builderType?(schema: JsonSchema): string;
  builder: BuilderSettings;
  /** Display text of a value (lists, detail pages, exports). */
  format(value: unknown, context: FormatContext): string;
  filter: FieldFilter;
  /** The resource whose rows the value names: lists, exports and filters show the row's name. */
  references?(ui: FieldUi): string | undefined;
}
