import type { BuilderField } from "../../../../core/rule-builder/fields.ts";
import { logicToModel, type RuleModel } from "../../../../core/rule-builder/rule-model.ts";
import { withIds } from "./branches";

/** What the visual view can show for a text: the model, "raw only" (valid JSON it cannot show exactly), or a JSON syntax error. */
export type Derived = { state: "model"; model: RuleModel } | { state: "raw" } | { state: "json" };

export function deriveModel(text: string, kind: string, fields: readonly BuilderField[]): Derived {
  let logic: unknown;
  try {
    logic = JSON.parse(text);
  } catch {
    return { state: "json" };
  }
  const model = logicToModel(logic, kind, fields);
  return model ? { state: "model", model: withIds(model) } : { state: "raw" };
}
