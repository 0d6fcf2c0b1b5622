import type { ErrorSchema } from "@rjsf/utils";

const ZH: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^is required$/, () => "必填"],
  [/^must be >= (.+)$/, (m) => `不能小于 ${m[1]}`],
  [/^must be <= (.+)$/, (m) => `不能大于 ${m[1]}`],
  [/^must have at least (\d+) characters$/, (m) => `至少 ${m[1]} 个字符`],
  [/^must have at most (\d+) characters$/, (m) => `最多 ${m[1]} 个字符`],
  [/^must match pattern .+$/, () => "格式不正确"],
  [/^must be a multiple of 0\.01$/, () => "最多两位小数"],
  [/^must be of type integer$/, () => "请输入整数"],
  [/^must be one of .+$/, () => "请从选项中选择"],
  [/^is not an allowed field$/, () => "不是此表单的字段"],
];

/**
 * The database's schema errors ("<what> does not match its schema: /plate: is required; /n: must be
 * >= 0") as RJSF extraErrors, so the server's refusal shows inline under the same fields.
 */
export function dbErrorsToErrorSchema(message: string | undefined, language: string): ErrorSchema | undefined {
  const match = message?.match(/does not match its schema: (.+)$/);
  if (!match) return undefined;
  const out: Record<string, { __errors: string[] }> = {};
  for (const part of match[1].split("; ")) {
    const m = part.match(/^\/([^/:]+)(?:\/[^:]*)?: (.+)$/);
    if (!m) continue;
    let text = m[2];
    if (language !== "en") for (const [re, zh] of ZH) if (re.test(text)) text = zh(text.match(re)!);
    (out[m[1]] ??= { __errors: [] }).__errors.push(text);
  }
  return out as ErrorSchema;
}
