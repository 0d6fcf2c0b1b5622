import { numberWidget } from "./number-widget";

/** Yuan with two decimals (schema: number, multipleOf 0.01). */
export const MoneyWidget = numberWidget({ prefix: "¥", precision: 2, normalize: (value) => Math.round(value * 100) / 100 });
