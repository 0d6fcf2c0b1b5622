import type { CSSProperties } from "react";

/** Code (rules, sample JSON) in a monospaced face. */
export const MONO: CSSProperties = { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", fontSize: 12 };
