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

describe("localizeRpcError", () => {
  it("translates a refusal by its reason code (HINT), not by its English text; an unknown code falls back", () => {
    const refusal = Object.assign(new Error("no earning rule set for the group: it is part of the installation"), { code: "22023", hint: "rule_set_missing" });
    expect(localizeRpcError(refusal, t)).toBe("集团的该类规则集缺失，无法发布：请联系系统管理员恢复集团规则集");
    const unknown = Object.assign(new Error("something new"), { code: "22023", hint: "not_a_known_reason" });
    expect(localizeRpcError(unknown, t)).toBe("something new");
  });

  it("localizes a shortfall with its numbers", () => {
    expect(localizeRpcError(rpcError("insufficient points: balance 120, requested 500", "P0001"), t)).toBe(
      "积分不足：当前余额 120，申请兑换 500",
    );
  });

  it("localizes permission refusals by message or by code", () => {
    expect(localizeRpcError(rpcError("permission denied: redeeming points needs the staff role for business unit x", "42501"), t)).toBe(
      "您没有在该业态执行此操作的权限",
    );
    expect(localizeRpcError(rpcError("nope", "42501"), t)).toBe("您没有在该业态执行此操作的权限");
  });

  it("explains a unit member id that is taken or outside the user's units", () => {
    expect(localizeRpcError(rpcError('duplicate key value violates unique constraint "member_identities_business_unit_id_external_id_key"', "23505"), t)).toBe(
      "该业态会员编号已绑定到会员（同一业态内编号唯一）",
    );
    // Refine's data providers reject with a plain HttpError object, not an Error.
    expect(localizeRpcError({ message: 'duplicate key value violates unique constraint "member_identities_business_unit_id_external_id_key"', statusCode: 409 }, t)).toBe(
      "该业态会员编号已绑定到会员（同一业态内编号唯一）",
    );
    expect(localizeRpcError(rpcError('new row violates row-level security policy for table "member_identities"', "42501"), t)).toBe(
      "您不能为该业态绑定身份：只能绑定您所属业态的编号",
    );
  });

  it("names the member status", () => {
    expect(localizeRpcError(rpcError("member 1b2c is frozen: points cannot be redeemed", "22023"), t)).toBe(
      "会员状态为「冻结」，无法操作积分",
    );
  });

  it("explains a function the server does not have yet", () => {
    expect(localizeRpcError(rpcError("Could not find the function public.merge_members", "PGRST202"), t)).toBe(
      "服务器暂不支持此操作（功能尚未上线），请稍后再试",
    );
  });

  it("falls back to the raw message", () => {
    expect(localizeRpcError(rpcError("something new went wrong", "XX000"), t)).toBe("something new went wrong");
  });
});
