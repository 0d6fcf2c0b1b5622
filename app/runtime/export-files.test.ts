import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { csvText, xlsxBuffer } from "./export-files";

const header = [{ key: "name", header: "Name" }, { key: "note", header: "Note" }];
const hostile = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"];

describe("export files", () => {
  it("prefixes CSV cells that a spreadsheet would run as formulas with a single quote", () => {
    const text = csvText(header, hostile.map((value) => ({ name: value, note: "plain" })));
    const lines = text.slice(1).split("\r\n");
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://x"",""y"")",plain`);
    expect(lines[2]).toBe("'+1+1,plain");
    expect(lines[3]).toBe("'-2+3,plain");
    expect(lines[4]).toBe("'@SUM(A1),plain");
    expect(lines[5]).toBe("'\tcmd,plain");
    expect(text).toContain(`"'\rcmd",plain`);
  });

  it("leaves ordinary cells, including inner minus signs and quotes, as they were", () => {
    const text = csvText(header, [{ name: "A-1", note: 'say "hi", then go' }]);
    expect(text).toBe('\uFEFFName,Note\r\nA-1,"say ""hi"", then go"');
  });

  it("writes formula-looking values into XLSX as string cells, not formulas", async () => {
    const buffer = await xlsxBuffer("Members", header, hostile.map((value) => ({ name: value, note: "" })));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as ArrayBuffer);
    const sheet = workbook.getWorksheet("Members")!;
    hostile.forEach((value, i) => {
      const cell = sheet.getCell(i + 2, 1);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      // XML turns a lone CR into LF; what matters is that the cell is a string and not a formula.
      expect(cell.value).toBe(value.replace(/\r/g, "\n"));
      expect(cell.formula).toBeUndefined();
    });
  });
});
