// Tables as CSV for a spreadsheet: RFC 4180 quoting, CRLF lines, and a byte-order mark so Excel
// reads the Cyrillic as UTF-8. A cell that a spreadsheet would run as a formula (=, +, -, @ and
// the control characters before them) is written as text, with a leading apostrophe.
export type CsvCell = string | number | null;

const FORMULA = /^[=+\-@\t\r]/;

function cell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvOf(rows: CsvCell[][]): string {
  return `\uFEFF${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
