import { describe, expect, it } from 'vitest';
import { wrapLabel } from './Chart.tsx';

describe('chart category names (issue 17: never cut)', () => {
  it('wraps at spaces, after a slash or a hyphen, and keeps every character', () => {
    expect(wrapLabel('Auvergne-Rhône-Alpes', 15)).toEqual(['Auvergne-Rhône-', 'Alpes']);
    expect(wrapLabel('Rhône (69)', 15)).toEqual(['Rhône (69)']);
    expect(wrapLabel('Accompagnement social/médico-social au soin', 20).join('').replace(/ /g, '')).toBe('Accompagnementsocial/médico-socialausoin');
  });
});
