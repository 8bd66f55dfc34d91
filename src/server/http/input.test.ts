import { describe, expect, it } from 'vitest';
import { jsonDepth } from './input.ts';

describe('jsonDepth', () => {
  it('counts nesting outside strings only', () => {
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(jsonDepth('{"a":"[[[[{{{{\\"[["}')).toBe(1);
    expect(jsonDepth(`${'['.repeat(50_000)}${']'.repeat(50_000)}`)).toBe(50_000);
  });
});
