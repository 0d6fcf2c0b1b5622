/**
 * What the engine evaluates with a rule book, one function per task: the same functions run in the
 * evaluation thread (evaluation-sandbox.ts) and, when the engine runs without one, inline.
 */
import {
  evaluateEarning, evaluateGrowth, evaluateHold, evaluateReminders, evaluateTags, evaluateTier, type EarningData, type ReminderData, type RuleBook, type TaggingData,
  type TierData,
} from "../core/evaluation/index.ts";

export interface EarnItem {
  data: EarningData;
  businessUnitId: string;
  occurredMs: number;
}

export interface RuleDataItem<D> {
  data: D;
  nowMs: number;
}

export const EVALUATION_TASKS = {
  /** A transaction's points (earning and expiry rules), their return window (hold rules) and its growth value (growth rules), posted together. */
  earn: (book: RuleBook, item: EarnItem) => ({
    ...evaluateEarning(book, item.data, item.businessUnitId, item.occurredMs),
    growth: evaluateGrowth(book, item.data, item.businessUnitId, item.occurredMs),
    // the return window: days the points stay pending (待入账) before the engine releases them
    hold: evaluateHold(book, item.data, item.businessUnitId, item.occurredMs),
  }),
  tags: (book: RuleBook, item: RuleDataItem<TaggingData>) => evaluateTags(book, item.data, item.nowMs),
  reminders: (book: RuleBook, item: RuleDataItem<ReminderData>) => evaluateReminders(book, item.data, item.nowMs),
  /** The tier a member holds at least by the tier rules (the tier review). */
  tiers: (book: RuleBook, item: RuleDataItem<TierData>) => evaluateTier(book, item.data, item.nowMs),
};

export type EvaluationTask = keyof typeof EVALUATION_TASKS;
export type TaskItem<T extends EvaluationTask> = Parameters<(typeof EVALUATION_TASKS)[T]>[1];
export type TaskOutcome<T extends EvaluationTask> = ReturnType<(typeof EVALUATION_TASKS)[T]>;

export function evaluateInline<T extends EvaluationTask>(book: RuleBook, task: T, items: TaskItem<T>[]): TaskOutcome<T>[] {
  const evaluate = EVALUATION_TASKS[task] as (book: RuleBook, item: TaskItem<T>) => TaskOutcome<T>;
  return items.map((item) => evaluate(book, item));
}
