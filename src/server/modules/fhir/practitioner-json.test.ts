import { describe, expect, it } from 'vitest';
import { practitionerJson } from './practitioner-json.ts';
import { type PractitionerRow, toPractitioner } from './resources.ts';

const tricky = [
  'MARTIN',
  'Hélène-Éloïse',
  "d'Almeida",
  'Nguyễn',
  'quote " and backslash \\',
  'control \u0001 tab \t newline \n',
  'emoji 🩺 and lone \ud800 surrogate',
  '@@rpps-slot-id@@',
  '@@rpps-slot-family@@ inside',
  '</script>',
  ' ',
];

function* rows(): Generator<PractitionerRow> {
  let i = 0;
  for (const active of [true, false])
    for (const withdrawn of [false, true])
      for (const family of [...tricky, null, ''])
        for (const given of [tricky[(i * 7) % tricky.length]!, null, '']) {
          i++;
          yield {
            id: `1010${String(i).padStart(7, '0')}`,
            rpps: `1010${String(i).padStart(7, '0')}`,
            family,
            given,
            active,
            withdrawn,
            versionId: 1 + (i % 13),
            lastUpdated: new Date(Date.UTC(2025, 10, 18, 0, 28, 37, i % 1000)),
          };
        }
}

describe('practitionerJson', () => {
  it('writes exactly what JSON.stringify(toPractitioner(row)) writes, for every shape and any text', () => {
    let count = 0;
    for (const row of rows()) {
      expect(practitionerJson(row)).toBe(JSON.stringify(toPractitioner(row)));
      count++;
    }
    expect(count).toBe(2 * 2 * (tricky.length + 2) * 3);
  });

  it('keeps a value that looks like a marker as a value', () => {
    const row: PractitionerRow = {
      id: '10100000001',
      rpps: '10100000001',
      family: '@@rpps-slot-given@@',
      given: '@@rpps-slot-lastUpdated@@',
      active: true,
      withdrawn: false,
      versionId: 2,
      lastUpdated: new Date('2026-01-02T03:04:05.006Z'),
    };
    const parsed = JSON.parse(practitionerJson(row));
    expect(parsed.name).toEqual([{ use: 'usual', family: '@@rpps-slot-given@@', given: ['@@rpps-slot-lastUpdated@@'] }]);
    expect(parsed.meta.lastUpdated).toBe('2026-01-02T03:04:05.006Z');
  });
});
