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
