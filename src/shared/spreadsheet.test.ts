import { describe, expect, it } from 'vitest';
import { csvCell, spreadsheetText } from './spreadsheet.ts';

describe('spreadsheet cells', () => {
  it('neutralises values a spreadsheet would run as formulas', () => {
    for (const v of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(spreadsheetText(v)).toBe(`'${v}`);
    expect(csvCell('=1+1;A')).toBe(`"'=1+1;A"`);
    expect(csvCell('Dupont')).toBe('Dupont');
    expect(csvCell('a"b')).toBe('"a""b"');
  });
});
