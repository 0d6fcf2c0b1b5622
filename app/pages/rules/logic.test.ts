import i18n from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { RULE_FAULT_CODES } from "../../../core/rules";
import rulesEn from "../../i18n/rules.en.json";
import rulesZh from "../../i18n/rules.zh-CN.json";
import { checkLogic, faultText, runBench } from "./logic";

const t = i18n.t.bind(i18n);

beforeAll(async () => {
  await i18n.init({ resources: { "zh-CN": { translation: rulesZh }, en: { translation: rulesEn } }, lng: "zh-CN", interpolation: { escapeValue: false } });
});

describe("rule editor checks in the user's language", () => {
  it("every validation fault code has a Chinese and an English text", () => {
    for (const code of RULE_FAULT_CODES) {
      expect(rulesZh.rules.faults, code).toHaveProperty(code);
      expect(rulesEn.rules.faults, code).toHaveProperty(code);
    }
  });

  it("shows faults in Chinese, with their values and no English words", () => {
    const check = checkLogic(JSON.stringify({ and: [{ foo: [1] }, { "==": 1 }, { floor: [1, 2] }, { "+": [1, {}] }, { var: "a.constructor" }] }));
    expect(check.state).toBe("invalid");
    if (check.state !== "invalid") return;
    const texts = check.errors.map((e) => faultText(e, t));
    expect(texts).toEqual([
      "未知的运算“foo”",
      "运算“==”的参数必须是数组（2 个参数）",
      "运算“floor”需要 1 个参数，实际 2 个",
      "空对象：每个运算对象必须恰好有一个键（运算名）",
      "数据路径中不允许出现“constructor”",
    ]);
    const atLeast = checkLogic('{"*": []}');
    expect(atLeast.state === "invalid" && faultText(atLeast.errors[0], t)).toBe("运算“*”需要 至少 1 个参数，实际 0 个");
  });

  it("locates a JSON syntax error by line and column", () => {
    expect(checkLogic('{\n  "if": [1,, 2]\n}')).toEqual({ state: "json", line: 2, column: 12 });
    expect(checkLogic('{"if": [1')).toMatchObject({ state: "json", line: 1 });
    expect(runBench(1, "[1,", undefined)).toMatchObject({ state: "input", line: 1 });
  });

  it("names the operation and argument a bench run failed on", () => {
    expect(runBench({ add_days: [{ var: "d" }, 1] }, '{"d": "not a date"}', undefined)).toMatchObject({ state: "error", op: "add_days" });
  });
});
