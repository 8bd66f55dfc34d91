import { describe, expect, it } from 'vitest';
import { containsNul, jsonDepth, nulCharactersIn } from './input.ts';

describe('jsonDepth', () => {
  it('counts nesting outside strings only', () => {
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(jsonDepth('{"a":"[[[[{{{{\\"[["}')).toBe(1);
    expect(jsonDepth(`${'['.repeat(50_000)}${']'.repeat(50_000)}`)).toBe(50_000);
  });
});

describe('containsNul', () => {
  it('finds a NUL wherever nulCharactersIn points at one, and only there', () => {
    const cases: unknown[] = [
      'a\u0000b',
      { questions: [{ professional: '1', documentType: 'x' }, { professional: 'a\u0000' }] },
      { ['k\u0000']: 1 },
      [[['deep\u0000']]],
      { ok: 'yes', list: [1, null, true, { a: 'b' }] },
      'plain',
      null,
      42,
    ];
    for (const value of cases) expect(containsNul(value), JSON.stringify(value)).toBe(nulCharactersIn(value, '/body').length > 0);
  });
});
