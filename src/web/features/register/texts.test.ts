import { describe, expect, it } from 'vitest';
import { registerTexts } from './texts.ts';

describe('the registration wizard’s words', () => {
  it('say what the stepper shows: four steps to fill, then the review ("Étape 5 sur 5")', () => {
    const t = registerTexts.wizard;
    expect(t.steps).toHaveLength(5);
    expect(t.steps.at(-1)).toBe('Vérification');
    expect(t.lead).toMatch(/^Renseignez les quatre étapes, puis vérifiez le tout avant l’envoi\./);
  });
});

describe('the registration receipt', () => {
  it('dates a receipt reopened later by the day it was sent, in Paris, not by today', () => {
    const day = registerTexts.wizard.success.day;
    expect(day('2026-11-23T23:30:00Z', new Date('2026-12-05T10:00:00Z'))).toBe('24/11/2026');
    expect(day(null, new Date('2026-12-05T10:00:00Z'))).toBe('05/12/2026');
  });
});
