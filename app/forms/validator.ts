import type { RJSFValidationError } from "@rjsf/utils";
import { customizeValidator } from "@rjsf/validator-ajv8";
import localizeZh from "ajv-i18n/localize/zh";
import { PHONE_PATTERN } from "../../core/enums/index.ts";

/** Amounts like 19.99 are not an exact multiple of 0.01 in floating point: compare to this many decimals. */
const ajvOptionsOverrides = { multipleOfPrecision: 8 };

/** ajv with Chinese messages (ajv-i18n) and one with English ones; created once. */
export const validatorZh = customizeValidator({ ajvOptionsOverrides }, localizeZh);
export const validatorEn = customizeValidator({ ajvOptionsOverrides });

const FORMATS_ZH: Record<string, string> = { email: "邮箱地址", date: "日期", "date-time": "日期时间" };

/**
 * Shorter, friendlier Chinese for the errors staff meet most; ajv-i18n's text for the rest. The
 * phone pattern gets its own message rather than the regular expression.
 */
export function transformErrorsZh(errors: RJSFValidationError[]): RJSFValidationError[] {
  return errors.map((error) => {
    const params = (error.params ?? {}) as Record<string, unknown>;
    const message = (() => {
      switch (error.name) {
        case "required":
          return "必填";
        case "pattern":
          return params.pattern === PHONE_PATTERN ? "请输入 11 位手机号" : "格式不正确";
        case "format":
          return `请输入有效的${FORMATS_ZH[String(params.format)] ?? "值"}`;
        case "minimum":
          return `不能小于 ${params.limit}`;
        case "maximum":
          return `不能大于 ${params.limit}`;
        case "exclusiveMinimum":
          return `必须大于 ${params.limit}`;
        case "exclusiveMaximum":
          return `必须小于 ${params.limit}`;
        case "minLength":
          return `至少 ${params.limit} 个字符`;
        case "maxLength":
          return `最多 ${params.limit} 个字符`;
        case "multipleOf":
          return Number(params.multipleOf) === 0.01 ? "最多两位小数" : `必须是 ${params.multipleOf} 的倍数`;
        case "type":
          return params.type === "integer" ? "请输入整数" : params.type === "number" ? "请输入数字" : error.message;
        case "enum":
        case "const":
          return "请从选项中选择";
        case "additionalProperties":
          return "不是此表单的字段";
        case "minItems":
          return `至少选择 ${params.limit} 项`;
        case "maxItems":
          return `最多选择 ${params.limit} 项`;
        case "uniqueItems":
          return "不能有重复项";
        default:
          return error.message;
      }
    })();
    return { ...error, message, stack: `${error.property ?? ""} ${message}`.trim() };
  });
}
