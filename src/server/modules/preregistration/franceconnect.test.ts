import { describe, expect, it } from 'vitest';
import { EtatCivilNotEditableError } from './errors.ts';
import { etatCivilFromFranceConnect, refuseEtatCivil } from './etat-civil.ts';

describe('état civil from the FranceConnect pivot identity (OIDC.md, claim formats)', () => {
  it('maps the claims: birth name, usage name, every first name, COG code, country', () => {
    expect(
      etatCivilFromFranceConnect({
        given_name: 'Angela Claire Louise',
        family_name: 'DUBOIS',
        preferred_username: 'MARTIN',
        birthdate: '1962-08-24',
        gender: 'female',
        birthplace: '75107',
        birthcountry: '99100',
      }),
    ).toEqual({
      civilite: 'MME',
      sexe: 'F',
      birthName: 'DUBOIS',
      usageName: 'MARTIN',
      firstNames: ['Angela', 'Claire', 'Louise'],
      birthDate: '1962-08-24',
      birthCountryCode: '99100',
      birthCommuneCode: '75107',
      birthPlace: null,
    });
  });

  it('born abroad: empty birthplace → no commune; empty usage name → none; camelCased keys read back from jsonb', () => {
    const e = etatCivilFromFranceConnect({ givenName: 'João Miguel', familyName: 'FERREIRA DOS SANTOS', preferredUsername: '', birthdate: '1988-02-29', gender: 'male', birthplace: '', birthcountry: '99139' });
    expect(e).toMatchObject({ civilite: 'M', sexe: 'M', birthName: 'FERREIRA DOS SANTOS', usageName: null, firstNames: ['João', 'Miguel'], birthCommuneCode: null, birthCountryCode: '99139' });
  });
});

describe('refuseEtatCivil', () => {
  it.each([
    [{ etatCivil: { birthName: 'X' } }, '/body/etatCivil'],
    [{ birthDate: '1990-01-01' }, '/body/birthDate'],
    [{ contact: { email: 'a@b.fr', firstNames: ['X'] } }, '/body/contact/firstNames'],
    [{ family_name: 'X' }, '/body/family_name'],
  ])('refuses %j (pointer %s)', (body, pointer) => {
    try {
      refuseEtatCivil(body);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EtatCivilNotEditableError);
      expect((err as EtatCivilNotEditableError).code).toBe('etat-civil-not-editable');
      expect((err as EtatCivilNotEditableError).errors.map((e) => e.pointer)).toContain(pointer);
    }
  });

  it('walks a body nested 50,000 levels deep without overflowing the stack', () => {
    let body: Record<string, unknown> = { birthName: 'X' };
    for (let i = 0; i < 50_000; i++) body = { a: body };
    expect(() => refuseEtatCivil(body)).toThrow(EtatCivilNotEditableError);
  });

  it('lets contact, situation and declarations through', () => {
    expect(() => refuseEtatCivil({ contact: { email: 'a@b.fr', mobile: '0612345678' }, situation: { egFiness: '690800206', roleCode: 'GENR11' }, declarations: { metInPerson: true } })).not.toThrow();
  });
});
