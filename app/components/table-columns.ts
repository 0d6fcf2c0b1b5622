import "./table-cells.css";

/**
 * Table column props for values that must stay on one line (dates, codes, tags, versions): the
 * column grows to its widest value and text columns (names, reasons) take what is left.
 */
export const oneLineColumn = { className: "cell-one-line" } as const;

/** The same for numbers, money and points, right-aligned so digits line up. */
export const numberColumn = { className: "cell-one-line", align: "right" } as const;
