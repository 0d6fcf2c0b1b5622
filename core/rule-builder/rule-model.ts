/**
 * A whole rule as the visual editor holds it: `{"if": [when1, then1, when2, then2, …, otherwise]}` with each
 * `when` a react-querybuilder query and each `then`/`otherwise` a block, or just a block. A rule is
 * representable only when model → JSON gives back exactly the JSON it was read from; otherwise the editor
 * shows the raw JSON only and never rewrites it.
 */
import { isDeepStrictEqual } from "./deep-equal.ts";
import { blockToLogic, blockTypesFor, logicToBlock, type Block } from "./blocks.ts";
import { conditionToQuery, queryToCondition, type ConditionQuery } from "./condition.ts";
import type { BuilderField } from "./fields.ts";

export interface Branch {
  when: ConditionQuery;
  then: Block;
}

export interface RuleModel {
  branches: Branch[];
  otherwise: Block;
}

/** The JSON-logic of a model. */
export function modelToLogic(model: RuleModel, fields: readonly BuilderField[]): unknown {
  if (model.branches.length === 0) return blockToLogic(model.otherwise);
  const args: unknown[] = [];
  for (const b of model.branches) args.push(queryToCondition(b.when, fields), blockToLogic(b.then));
  args.push(blockToLogic(model.otherwise));
  return { if: args };
}

function readModel(logic: unknown, kind: string, fields: readonly BuilderField[]): RuleModel | null {
  const types = blockTypesFor(kind);
  const plain = logicToBlock(logic, types);
  if (plain) return { branches: [], otherwise: plain };
  if (typeof logic !== "object" || logic === null || Array.isArray(logic) || Object.keys(logic).length !== 1) return null;
  const args = (logic as { if?: unknown }).if;
  if (!Array.isArray(args) || args.length < 3 || args.length % 2 === 0) return null;
  const branches: Branch[] = [];
  for (let i = 0; i < args.length - 1; i += 2) {
    const when = conditionToQuery(args[i], fields);
    const then = logicToBlock(args[i + 1], types);
    if (!when || !then) return null;
    branches.push({ when, then });
  }
  const otherwise = logicToBlock(args[args.length - 1], types);
  return otherwise ? { branches, otherwise } : null;
}

/** The model of a rule's logic, or null when the visual editor cannot show it exactly ("raw only"). */
export function logicToModel(logic: unknown, kind: string, fields: readonly BuilderField[]): RuleModel | null {
  const model = readModel(logic, kind, fields);
  if (!model) return null;
  try {
    return isDeepStrictEqual(modelToLogic(model, fields), logic) ? model : null;
  } catch {
    return null;
  }
}

/** Where in the model a validation fault's JSON pointer (validateRule's path) points. */
export interface FaultTarget {
  /** Branch index, or "otherwise". */
  branch: number | "otherwise";
  part: "when" | "then";
  /** Inside a condition: the rule's path in the query (indexes of nested rules), if it reaches one. */
  rulePath?: number[];
}

const segments = (pointer: string) => pointer.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));

/** Follows a pointer into a query's JSON: groups are {and|or: [...]} or {"!": group}. */
function queryPath(query: ConditionQuery, rest: string[]): number[] {
  const lone = query.rules.length === 1 && !query.not && query.combinator === "and";
  if (lone) return [0];
  const path: number[] = [];
  let group: ConditionQuery | undefined = query;
  let i = 0;
  while (group && i < rest.length) {
    if (rest[i] === "!" && group.not) {
      i++;
      continue;
    }
    if ((rest[i] === "and" || rest[i] === "or") && i + 1 < rest.length) {
      const k = Number(rest[i + 1]);
      const child: ConditionQuery["rules"][number] | undefined = group.rules[k];
      if (!child || typeof child === "string") break;
      path.push(k);
      group = "rules" in child ? child : undefined;
      i += 2;
      continue;
    }
    break;
  }
  return path;
}

export function faultTarget(pointer: string, model: RuleModel): FaultTarget {
  const seg = segments(pointer);
  if (model.branches.length === 0 || seg[0] !== "if" || seg.length < 2) return { branch: "otherwise", part: "then" };
  const index = Number(seg[1]);
  const last = model.branches.length * 2;
  if (!Number.isInteger(index) || index >= last) return { branch: "otherwise", part: "then" };
  const branch = Math.floor(index / 2);
  if (index % 2 === 1) return { branch, part: "then" };
  return { branch, part: "when", rulePath: queryPath(model.branches[branch].when, seg.slice(2)) };
}
