import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { toXlsx } from './testing.ts';
import { readBulkXlsx } from './xlsx.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpps-xlsx-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The same workbook with its parts stored in `order` (the others after, as they were). */
async function reordered(xlsx: Buffer, order: string[]): Promise<Buffer> {
  const zip = await JSZip.loadAsync(xlsx);
  const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
  const out = new JSZip();
  for (const name of [...order, ...names.filter((n) => !order.includes(n))]) out.file(name, await zip.file(name)!.async('uint8array'));
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

describe('reading an .xlsx file', () => {
  const row = { birthName: 'MARTIN', firstNames: 'Anne', birthDate: '1980-02-03', egFiness: '010007987', startDate: '2026-01-05' };

  it('reads a workbook whose worksheet is stored after the shared strings and before xl/workbook.xml', async () => {
    // OOXML leaves the order of the parts free. exceljs 4.4.0's streaming reader read such a
    // worksheet before the workbook part and refused a valid file as damaged (exceljs issue 3064).
    const xlsx = await reordered(await toXlsx([row, row]), ['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/styles.xml', 'xl/worksheets/sheet1.xml']);
    const names = Object.keys((await JSZip.loadAsync(xlsx)).files);
    expect(names.indexOf('xl/worksheets/sheet1.xml')).toBeLessThan(names.indexOf('xl/workbook.xml'));
    const file = path.join(dir, 'reordered.xlsx');
    fs.writeFileSync(file, xlsx);
    const parsed = await readBulkXlsx(file, { maxRows: 10 });
    expect(parsed.rows.map((r) => [r.rowNumber, r.raw.birthName, r.raw.egFiness])).toEqual([
      [2, 'MARTIN', '010007987'],
      [3, 'MARTIN', '010007987'],
    ]);
  });
});
