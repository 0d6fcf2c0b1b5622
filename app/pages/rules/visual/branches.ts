import { prepareRuleGroup, type RuleGroupType } from "react-querybuilder";
import type { Block } from "../../../../core/rule-builder/blocks.ts";
import { faultTarget, type RuleModel } from "../../../../core/rule-builder/rule-model.ts";
import type { RuleIssue } from "../../../../core/rules/index.ts";

/** A model whose queries carry ids (the query builder keys its rows by them). */
export const withIds = (model: RuleModel): RuleModel => ({ ...model, branches: model.branches.map((b) => ({ ...b, when: prepareRuleGroup(b.when) })) });

export const emptyQuery = (): RuleGroupType => prepareRuleGroup({ combinator: "and", rules: [] });

/** The rule id at a path of indexes in a query. */
function ruleIdAt(query: RuleGroupType, path: readonly number[]): string | undefined {
  let node: RuleGroupType["rules"][number] | RuleGroupType = query;
  for (const i of path) {
    if (typeof node === "string" || !("rules" in node)) return undefined;
    node = node.rules[i];
    if (!node) return undefined;
  }
  return typeof node === "string" ? undefined : node.id;
}

/** Where the validation faults are in the visual view: branch parts ("0:when", "otherwise:then") and rule ids. */
export function faultPlaces(model: RuleModel, errors: readonly RuleIssue[]) {
  const parts = new Set<string>();
  const ruleIds = new Set<string>();
  for (const e of errors) {
    const target = faultTarget(e.path, model);
    parts.add(`${target.branch}:${target.part}`);
    if (target.branch !== "otherwise" && target.rulePath?.length) {
      const id = ruleIdAt(model.branches[target.branch].when, target.rulePath);
      if (id) ruleIds.add(id);
    }
  }
  return { parts, ruleIds };
}

export const copyBlock = (b: Block): Block => JSON.parse(JSON.stringify(b)) as Block;
