/** Characters a spreadsheet reads as the start of a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/**
 * A text cell that a spreadsheet would run as a formula gets a leading apostrophe, which Excel
 * and LibreOffice show as text. Numbers are not text: `-3.5` stays a negative number.
 */
export function guardCell(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/**
 * RFC 4180 as Excel reads it: CRLF between records, and any cell holding a line break of
 * either kind quoted (csv-stringify quotes only the record delimiter by itself).
 */
export function csvOptions(delimiter: ',' | ';') {
  return { delimiter, record_delimiter: '\r\n', quoted_match: /[\r\n]/ } as const;
}
