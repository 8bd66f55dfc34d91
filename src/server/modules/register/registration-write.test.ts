import { CamelCasePlugin, DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DB } from '../../db/schema.ts';
import { candidatesStatement, compileCandidates, compileWrite, type RegistrationWrite, writeStatement } from './registration-write.ts';
import { duplicateProbe } from './duplicates.ts';

const db = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
  plugins: [new CamelCasePlugin()],
});

const at = new Date('2026-12-05T10:00:00Z');
const actor = { id: 'gest-1', kind: 'user' };
function write(n: number, overrides: Partial<RegistrationWrite> = {}): RegistrationWrite {
  return {
    at: new Date(at.getTime() + n),
    person: {
      rpps: `1000000000${n}`,
      civilite: 'M',
      sexe: 'M',
      birthName: `NOM${n}`,
      usageName: n % 2 ? null : `USAGE${n}`,
      firstNames: [`Prenom${n}`, 'Jean'],
      birthDate: '1980-06-13',
      birthCountryCode: '99100',
      birthCommuneCode: '75056',
      birthPlace: null,
      email: `p${n}@example.org`,
      mobile: `+3360000000${n}`,
      identityDocumentId: null,
      contactEjFiness: '750000001',
      identityStatus: 'to_verify',
      createdBy: actor.id,
      createdAt: at,
      updatedAt: at,
    } as RegistrationWrite['person'],
    version: { actorId: actor.id, actorKind: actor.kind, after: JSON.stringify({ n }) },
    situation: { egFiness: '750000002', professionCode: '10', roleCode: 'FON-01', modeCode: 'S', exerciseLastName: `NOM${n}`, exerciseFirstName: 'Jean', searchText: `nom${n} jean`, startDate: '2026-12-05', createdBy: actor.id, createdAt: at, updatedAt: at, endDate: null, endReason: null, status: 'active' } as RegistrationWrite['situation'],
    audit: {
      person: { at, actor, action: 'person.create', entityType: 'person', after: { rpps: `1000000000${n}`, identityStatus: 'to_verify' } },
      situation: { at, actor, action: 'situation.create', entityType: 'situation', after: { egFiness: '750000002', n } },
    },
    event: { type: 'registration.created', payload: ({ situationId }) => ({ situationId, n }) },
    ...overrides,
  };
}

/** What Kysely compiles for the write built afresh with these very values. */
function fresh(w: RegistrationWrite, personId: string, situationId: string) {
  const { sql, parameters } = compileWrite(
    db,
    {
      personId,
      situationId,
      rpps: w.person.rpps,
      at: w.at,
      versionActorId: w.version.actorId,
      versionActorKind: w.version.actorKind,
      versionAfter: w.version.after,
      eventType: w.event.type,
      eventPayload: JSON.stringify(w.event.payload({ personId, situationId })),
      person: { ...w.person, id: personId },
      situation: { ...w.situation, id: situationId, personId },
      audit: [
        { at: w.audit.person.at, actorId: w.audit.person.actor.id, actorKind: w.audit.person.actor.kind, action: w.audit.person.action, entityType: 'person', entityId: personId, before: null, after: JSON.stringify(w.audit.person.after) },
        { at: w.audit.situation.at, actorId: w.audit.situation.actor.id, actorKind: w.audit.situation.actor.kind, action: w.audit.situation.action, entityType: 'situation', entityId: situationId, before: null, after: JSON.stringify(w.audit.situation.after) },
      ],
      submission: w.submission,
    },
    w.ledgerWritten === true,
  );
  return { sql, parameters: [...parameters] };
}

describe('the registration write compiled once per shape', () => {
  it('binds each write the very text and parameters Kysely compiles for it afresh, shape by shape', () => {
    const shapes: Partial<RegistrationWrite>[] = [{}, { ledgerWritten: true }, { submission: { actorId: actor.id, idempotencyKey: 'k-1' } }, { ledgerWritten: true, submission: { actorId: 'a2', idempotencyKey: 'k-2' } }];
    const texts = new Set<string>();
    for (const [s, shape] of shapes.entries()) {
      // Several writes per shape: the first compiles it, the next ones reuse it with their values.
      for (let n = 0; n < 3; n++) {
        const w = write(10 * s + n, shape);
        const got = writeStatement(db, w, `person-${s}-${n}`, `situation-${s}-${n}`);
        expect(got).toEqual(fresh(w, `person-${s}-${n}`, `situation-${s}-${n}`));
        texts.add(got.sql);
      }
    }
    expect(texts.size).toBe(4);
  });

  it('tells apart writes whose columns differ (a value left out is the column default)', () => {
    const w = write(7);
    const without = write(8, { person: { ...w.person, identityDocumentId: undefined } });
    const a = writeStatement(db, w, 'p-a', 's-a');
    const b = writeStatement(db, without, 'p-b', 's-b');
    expect(a.sql).not.toBe(b.sql);
    expect(b).toEqual(fresh(without, 'p-b', 's-b'));
  });
});

describe('the candidates statement compiled once per shape', () => {
  it('binds each probe the very text and parameters Kysely compiles for it afresh', () => {
    const probes = [
      { birthDate: '1980-06-13', slipDates: ['1980-06-03', '1980-06-23'], familyKeys: ['DURAND'], familyText: 'DURAND', firstNameKeys: ['JEAN'] },
      { birthDate: '1981-07-14', slipDates: ['1981-07-04'], familyKeys: ['MARTIN'], familyText: 'MARTIN', firstNameKeys: ['PAUL', 'LOUIS'] },
      { birthDate: '1990-01-01', slipDates: [], familyKeys: ['LEGALL', 'DUPONT'], familyText: 'LE GALL DUPONT', firstNameKeys: ['ANNE'] },
      { birthDate: '1990-01-02', slipDates: ['1990-01-12'], familyKeys: ['LEROY', 'PETIT'], familyText: 'LEROY PETIT', firstNameKeys: ['ANNE'] },
      duplicateProbe({ birthName: 'Éléonore', usageName: null, firstNames: ['Zoé'], birthDate: '2000-02-19', sexe: 'F', birthCountryCode: '99100', birthCommuneCode: '75056' } as never),
    ];
    const texts = new Set<string>();
    for (const [i, probe] of probes.entries()) {
      for (const [knownRpps, submission] of [
        [undefined, undefined],
        ['10000000001', undefined],
        [undefined, { actorId: `a${i}`, idempotencyKey: `k${i}` }],
      ] as const) {
        const got = candidatesStatement(db, probe, `75000000${i}`, knownRpps, submission);
        const effective = { ...probe, slipDates: probe.slipDates.length === 0 ? [probe.birthDate] : probe.slipDates };
        const want = compileCandidates(db, effective, `75000000${i}`, knownRpps !== undefined, submission ?? { actorId: '', idempotencyKey: '' });
        expect(got).toEqual({ sql: want.sql, parameters: [...want.parameters] });
        texts.add(got.sql);
      }
    }
    // Per number of family names (1 or 2), the number drawn or known.
    expect(texts.size).toBe(4);
  });
});
