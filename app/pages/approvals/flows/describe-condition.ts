import type { i18n as I18n, TFunction } from "i18next";
import { formatCount } from "../../../lib/format";

const OPERATOR_SIGNS: Record<string, string> = { "==": "=", "===": "=", "!=": "≠", "!==": "≠", ">": ">", ">=": "≥", "<": "<", "<=": "≤" };
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A step's condition in words, as its diagram edge shows it: known fields by their label
 * (approvals.conditionFields.*), numbers formatted, and/or/not as words; anything else as its JSON.
 */
export function describeCondition(logic: unknown, t: TFunction, i18n: I18n): string {
  const render = (node: unknown): string => {
    if (typeof node === "number") return formatCount(node);
    if (typeof node === "string") return `“${node}”`;
    if (Array.isArray(node)) return `[${node.map(render).join("、")}]`;
    if (!isObject(node)) return JSON.stringify(node);
    const [op] = Object.keys(node);
    const raw = node[op];
    const args = Array.isArray(raw) ? raw : [raw];
    if (op === "var") {
      const name = String(args[0]);
      return i18n.exists(`approvals.conditionFields.${name}`) ? t(`approvals.conditionFields.${name}`) : name;
    }
    if (OPERATOR_SIGNS[op]) return args.map(render).join(` ${OPERATOR_SIGNS[op]} `);
    if (op === "and" || op === "or") return args.map((arg) => `(${render(arg)})`).join(` ${t(`approvals.conditionWords.${op}`)} `);
    if (op === "!") return `${t("approvals.conditionWords.not")}(${render(args[0])})`;
    if (op === "!!") return render(args[0]);
    if (op === "in") return `${render(args[0])} ${t("approvals.conditionWords.in")} ${render(args[1])}`;
    return JSON.stringify(node);
  };
  return render(logic);
}
