import { describe, expect, it } from 'vitest';
import { structureKeyFigures } from './structureFigures.ts';

describe('the key figures of the structure dashboard', () => {
  const d = {
    // 13 persons, one of them in two establishments: 14 situations.
    activeByRole: [{ count: 8 }, { count: 6 }],
    pendingRequests: { count: 3, oldestDays: 0 },
    identitiesToVerify: 0,
    ecps: { persons: 13, active: 0, rate: 0 },
  };

  it('counts the same professionals as the e-CPS tile, and says how many situations they hold', () => {
    const [active, , , ecps] = structureKeyFigures(d);
    expect(active).toEqual({ label: 'Professionnels actifs', value: 13, detail: '14 situations d’exercice en cours' });
    expect(ecps).toMatchObject({ value: '0 %', detail: '0 sur 13 professionnels' });
    expect(structureKeyFigures({ ...d, activeByRole: [{ count: 1 }], ecps: { persons: 1, active: 1, rate: 1 } })[0]!.detail).toBe('1 situation d’exercice en cours');
  });

  it('says a request sent today was sent today, not "depuis 0 jour"', () => {
    const pending = (oldestDays: number | null) => structureKeyFigures({ ...d, pendingRequests: { count: 1, oldestDays } })[1]!.detail;
    expect(pending(0)).toBe('La plus ancienne a été envoyée aujourd’hui');
    expect(pending(1)).toBe('La plus ancienne attend depuis 1 jour');
    expect(pending(12)).toBe('La plus ancienne attend depuis 12 jours');
    expect(pending(null)).toBe('Aucune demande en attente');
  });
});
