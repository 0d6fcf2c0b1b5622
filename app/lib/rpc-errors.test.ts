import i18n from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import en from "../i18n/en.json";
import zhCN from "../i18n/zh-CN.json";
import { localizeRpcError } from "./rpc-errors";

const t = i18n.t.bind(i18n);

beforeAll(async () => {
  await i18n.init({ resources: { "zh-CN": { translation: zhCN }, en: { translation: en } }, lng: "zh-CN", interpolation: { escapeValue: false } });
});

const rpcError = (message: string, code = "") => Object.assign(new Error(message), { code });

const refusal = (message: string, code: string, hint: string, details?: Record<string, unknown>) =>
  Object.assign(new Error(message), { code, hint, details: details ? JSON.stringify(details) : null });

describe("localizeRpcError", () => {
  it("translates a refusal by its reason code (HINT), not by its English text; an unknown code falls back", () => {
    expect(localizeRpcError(refusal("no earning rule set for the group", "22023", "rule_set_missing"), t)).toBe(
      "集团的该类规则集缺失，无法发布：请联系系统管理员恢复集团规则集",
    );
    expect(localizeRpcError(refusal("something new", "22023", "not_a_known_reason"), t)).toBe("something new");
  });

  it("fills the text with the values the refusal carries in DETAIL", () => {
    expect(localizeRpcError(refusal("whatever the server says", "P0001", "insufficient_points", { balance: 120, requested: 500 }), t)).toBe(
      "积分不足：当前余额 120，申请兑换 500",
    );
    expect(localizeRpcError(refusal("x", "22023", "member_inactive", { member_id: "1b2c", status: "frozen" }), t)).toBe(
      "会员状态为「冻结」，无法操作积分",
    );
    expect(localizeRpcError(refusal("x", "22023", "amount_over_limit", { max: 10000000 }), t)).toBe("单笔消费金额不能超过 10,000,000 元");
  });

  it("never reads the English message: a known sentence without a code is shown as sent", () => {
    expect(localizeRpcError(rpcError("insufficient points: balance 120, requested 500", "P0001"), t)).toBe(
      "insufficient points: balance 120, requested 500",
    );
  });

  it("localizes permission refusals by code, with the caller's text where it knows better", () => {
    expect(localizeRpcError(rpcError("nope", "42501"), t)).toBe("您没有在该业态执行此操作的权限");
    expect(localizeRpcError(rpcError('new row violates row-level security policy for table "member_identities"', "42501"), t, { "42501": "只能绑定您所属业态的编号" })).toBe(
      "只能绑定您所属业态的编号",
    );
  });

  it("explains a violated constraint by its name, for Errors and Refine's HttpError objects alike", () => {
    const message = 'duplicate key value violates unique constraint "member_identities_business_unit_id_external_id_key"';
    expect(localizeRpcError(rpcError(message, "23505"), t)).toBe("该业态会员编号已绑定到会员（同一业态内编号唯一）");
    expect(localizeRpcError({ message, code: "23505", statusCode: 23505 }, t)).toBe("该业态会员编号已绑定到会员（同一业态内编号唯一）");
  });

  it("explains a function the server does not have yet, and an unreachable server", () => {
    expect(localizeRpcError(rpcError("Could not find the function public.merge_members", "PGRST202"), t)).toBe(
      "服务器暂不支持此操作（功能尚未上线），请稍后再试",
    );
    expect(localizeRpcError(new TypeError("Failed to fetch"), t)).toBe("无法连接服务器，请稍后重试");
  });

  it("falls back to the raw message", () => {
    expect(localizeRpcError(rpcError("something new went wrong", "XX000"), t)).toBe("something new went wrong");
  });
});
