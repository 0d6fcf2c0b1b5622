import { useDataProvider, useInvalidate } from "@refinedev/core";
import { useTranslation } from "react-i18next";
import { useRequestVerification, useRuleTestCases, type RuleTestVerdict } from "../../data/rules/test-cases";
import type { Rule } from "../../data/rules/types";

const VERDICT_COLUMNS = "id,rule_id,rule_version,case_count,passed,details,checked_at";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A refusal shaped like the database's (reason code + values), for localizeRpcError. */
export const testsFailed = (verdict: RuleTestVerdict) => ({
  hint: "rule_tests_failed",
  details: JSON.stringify({ cases: verdict.case_count, failed: verdict.details.filter((d) => !d.passed).length }),
  message: "rule tests failed",
});

/**
 * The publish gate as the app meets it: the rules engine runs the key's saved test cases on the saved draft
 * (request_rule_verification) and the verdict is awaited. publish_rule enforces the same in the database; running
 * the cases first lets publishing proceed right after a change, and refuse with the failing count.
 */
export function useTestGate(rule: Pick<Rule, "id" | "key" | "version">) {
  const { t } = useTranslation();
  const cases = useRuleTestCases(rule.key);
  const request = useRequestVerification();
  const dataProvider = useDataProvider()();
  const invalidate = useInvalidate();

  const verify = async (): Promise<RuleTestVerdict> => {
    const queued = await request.mutateAsync({ key: rule.key, version: rule.version });
    const since = Date.parse(queued.queued_at);
    for (let i = 0; i < 90; i++) {
      const { data } = await dataProvider.getList<RuleTestVerdict>({
        resource: "rule_test_verdicts",
        filters: [{ field: "rule_id", operator: "eq", value: queued.rule_id }],
        sorters: [{ field: "id", order: "desc" }],
        pagination: { currentPage: 1, pageSize: 1 },
        meta: { select: VERDICT_COLUMNS },
      });
      if (data[0] && Date.parse(data[0].checked_at) >= since) {
        await invalidate({ resource: "rule_test_verdicts", invalidates: ["list"] });
        return data[0];
      }
      await sleep(i < 10 ? 300 : 1000);
    }
    throw new Error(t("rules.cases.verdictTimeout"));
  };

  /** Resolves when the key has no cases or the engine passed them all on this version; else throws the refusal. */
  const ensurePassed = async () => {
    const current = (await cases.refetch()).data?.data ?? cases.data ?? [];
    if (current.length === 0) return;
    const verdict = await verify();
    if (!verdict.passed) throw testsFailed(verdict);
  };

  return { cases: cases.data, verify, ensurePassed, verifying: request.isPending };
}
