import { expect, it } from 'vitest';
import { escapeLike, toSearchText } from './search-text.ts';

it('normalises accents, case, ligatures and punctuation for search', () => {
  expect(toSearchText('Évry-Courcouronnes')).toBe('evry courcouronnes');
  expect(toSearchText("L'Haÿ-les-Roses", 'ŒUVRE')).toBe('l hay les roses oeuvre');
  expect(toSearchText(null, '  EHPAD   Les Tilleuls ')).toBe('ehpad les tilleuls');
});

it('escapes LIKE wildcards typed by users', () => {
  expect(escapeLike('100%_a\\')).toBe('100\\%\\_a\\\\');
});
