import { describe, expect, it } from 'vitest';
import { membershipOf } from './service.ts';

const ej = { finess: '690800123', kind: 'EJ' as const, ejFiness: null, open: true };
const eg = { finess: '690800206', kind: 'EG' as const, ejFiness: '690800123', open: true };

describe('has a structure joined RPPS+ (issue 17, directory)', () => {
  it('an EJ-level active contract covers the EJ and every EG', () => {
    const live = [{ egFiness: null, status: 'active' }];
    expect(membershipOf(ej, live)).toEqual({ status: 'joined', through: 'ej', joinedEstablishments: [], canRequest: false });
    expect(membershipOf(eg, live)).toMatchObject({ status: 'joined', through: 'ej', canRequest: false });
  });

  it('an EG-level contract covers its EG only: the EJ is partly joined, a sibling EG may still ask', () => {
    const live = [{ egFiness: '690800206', status: 'active' }];
    expect(membershipOf(eg, live)).toMatchObject({ status: 'joined', through: 'eg' });
    expect(membershipOf(ej, live)).toEqual({ status: 'partial', through: null, joinedEstablishments: ['690800206'], canRequest: false });
    expect(membershipOf({ ...eg, finess: '690800388' }, live)).toMatchObject({ status: 'not-joined', canRequest: true });
  });

  it('a request in preparation or examined: pending, no second request', () => {
    for (const status of ['draft', 'submitted']) {
      expect(membershipOf(ej, [{ egFiness: null, status }])).toMatchObject({ status: 'pending', canRequest: false });
      expect(membershipOf(eg, [{ egFiness: null, status }])).toMatchObject({ status: 'pending', canRequest: false });
      expect(membershipOf(eg, [{ egFiness: '690800206', status }])).toMatchObject({ status: 'pending', canRequest: false });
      // An EJ-level request meets its EG's live contracts (one structure, one contract).
      expect(membershipOf(ej, [{ egFiness: '690800206', status }])).toMatchObject({ status: 'pending', canRequest: false });
    }
  });

  it('no live contract: not joined, and a request is possible unless the structure is closed', () => {
    expect(membershipOf(ej, [])).toEqual({ status: 'not-joined', through: null, joinedEstablishments: [], canRequest: true });
    expect(membershipOf({ ...eg, open: false }, [])).toMatchObject({ status: 'not-joined', canRequest: false });
  });
});
