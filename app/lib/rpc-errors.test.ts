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
