/**
 * Rule evaluation in a worker thread of its own (see evaluation-sandbox.ts): builds the rule book it is
 * sent, evaluates batches of one task and posts the outcomes back. Holds no connection and writes nothing.
 */
import { parentPort } from "node:worker_threads";
import { RuleBook } from "../core/evaluation/index.ts";
import type { SandboxRequest } from "./evaluation-sandbox.ts";
import { evaluateInline } from "./evaluation-tasks.ts";

let book: RuleBook | null = null;

parentPort!.on("message", (m: SandboxRequest) => {
  if (m.type === "book") {
    book = new RuleBook(m.source.records, m.source.sets, { tierLadder: m.source.tierLadder });
    return;
  }
  try {
    if (!book) throw new Error("no rule book loaded");
    const outcomes = evaluateInline(book, m.task, m.items as never[]);
    parentPort!.postMessage({ id: m.id, outcomes });
  } catch (error) {
    parentPort!.postMessage({ id: m.id, error: (error as Error)?.message ?? String(error) });
  }
});
parentPort!.postMessage({ type: "ready" });
