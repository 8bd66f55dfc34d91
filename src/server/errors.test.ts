import { describe, expect, it } from 'vitest';
import { DomainError, declareProblem } from './errors.ts';

describe('declareProblem', () => {
  class SampleError extends declareProblem('sample-conflict', 409, 'Un exemple de conflit.', [{ pointer: '/body/x', detail: 'Champ en conflit.' }]) {}

  it('gives a named domain error with its code, status, detail and fields', () => {
    const err = new SampleError();
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toBeInstanceOf(SampleError);
    expect(err.constructor.name).toBe('SampleError');
    expect({ code: err.code, status: err.status, detail: err.detail, errors: err.errors }).toEqual({
      code: 'sample-conflict',
      status: 409,
      detail: 'Un exemple de conflit.',
      errors: [{ pointer: '/body/x', detail: 'Champ en conflit.' }],
    });
  });

  it('gives each error its own field list (one cannot change another)', () => {
    const first = new SampleError();
    first.errors[0]!.detail = 'changé';
    expect(new SampleError().errors[0]!.detail).toBe('Champ en conflit.');
  });
});
