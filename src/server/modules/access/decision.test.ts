import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decide, type Matrix, type SituationForDecision } from './decision.ts';

interface MatrixFile {
  roles: Record<string, string>;
  items: Array<{ key: string; rolesSeed004: string[] }>;
}
const file = JSON.parse(
  readFileSync(new URL('../referential/data/dmp-document-types.json', import.meta.url), 'utf8'),
) as MatrixFile;

const matrix: Matrix = {
  grants: new Map(
    Object.keys(file.roles).map((role) => [role, new Set(file.items.filter((i) => i.rolesSeed004.includes(role)).map((i) => i.key))]),
  ),
};
const known = new Set(file.items.map((i) => i.key));
const on = '2026-11-23';
const situation = (roleCode: string, extra: Partial<SituationForDecision> = {}): SituationForDecision => ({
  egFiness: '690800206',
  roleCode,
  startDate: '2026-01-01',
  endDate: null,
  status: 'active',
  ...extra,
});

describe('every role × every document type follows the seed-004 matrix file', () => {
  for (const role of Object.keys(file.roles)) {
    it(`${role}`, () => {
      for (const item of file.items) {
        const d = decide([situation(role)], item.key, matrix, on, known);
        expect(d.allow, `${role} × ${item.key}`).toBe(item.rolesSeed004.includes(role));
        expect(d.reason).toBe(d.allow ? 'role-grants-access' : 'role-does-not-grant-access');
      }
    });
  }
});

describe('situations and dates', () => {
  const granted = file.items.find((i) => i.rolesSeed004.includes('GENR11'))!.key;
  const onlyGenr08 = file.items.find((i) => i.rolesSeed004.includes('GENR08') && !i.rolesSeed004.includes('GENR10'))!.key;

  it('denies after the situation ended', () => {
    expect(decide([situation('GENR11', { status: 'ended', endDate: '2026-06-01' })], granted, matrix, on, known)).toMatchObject({
      allow: false,
      reason: 'situation-ended',
    });
    expect(decide([situation('GENR11', { endDate: on })], granted, matrix, on, known).allow).toBe(false);
  });

  it('counts an ended situation for a date before its end (questions about the past)', () => {
    const ended = situation('GENR11', { status: 'ended', endDate: '2026-06-01' });
    expect(decide([ended], granted, matrix, '2026-03-01', known)).toMatchObject({ allow: true, reason: 'role-grants-access' });
    expect(decide([situation('GENR11', { status: 'deleted' })], granted, matrix, on, known).allow).toBe(false);
  });

  it('denies before the start date', () => {
    expect(decide([situation('GENR11', { startDate: '2026-12-01' })], granted, matrix, on, known)).toMatchObject({
      allow: false,
      reason: 'situation-not-started',
    });
  });

  it('gives the union of the rights of two active situations', () => {
    const both = [situation('GENR10'), situation('GENR08', { egFiness: '330800017' })];
    const d = decide(both, onlyGenr08, matrix, on, known);
    expect(d).toMatchObject({ allow: true, through: [{ egFiness: '330800017', roleCode: 'GENR08' }] });
    expect(decide([situation('GENR10')], onlyGenr08, matrix, on, known).allow).toBe(false);
  });

  it('denies an unknown document type and a person without situation', () => {
    expect(decide([situation('GENR08')], 'nope', matrix, on, known).reason).toBe('unknown-document-type');
    expect(decide([], granted, matrix, on, known).reason).toBe('no-active-situation');
  });
});
