import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { csvOptions, guardCell } from './csv-cell';

const FORMULA = /^[=+\-@\t\r]/;

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://evil")', `'=HYPERLINK("http://evil")`],
    ['+cmd|/c calc', `'+cmd|/c calc`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tx', `'\tx`],
    ['Naamsestraat 12', 'Naamsestraat 12'],
    ['-3.5', '-3.5'],
    ['-1e-3', '-1e-3'],
  ])('guards %j as %j', (text, expected) => {
    expect(guardCell(text)).toBe(expected);
  });

  it('never lets a guarded text cell start a formula, nor escape its cell, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(',', ';'),
        (cells, delimiter) => {
          const guarded = cells.map(guardCell);
          const text = stringify([guarded], csvOptions(delimiter));
          const [row]: string[][] = parse(text, { delimiter, relax_column_count: false });
          expect(row).toEqual(guarded);
          for (const [i, cell] of row!.entries()) {
            expect(FORMULA.test(cell) && !/^-?\d/.test(cell)).toBe(false);
            expect(cell === cells[i] || cell === `'${cells[i]}`).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
