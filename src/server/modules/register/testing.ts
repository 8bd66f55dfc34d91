import type { EtatCivilInput } from './types.ts';
import type { RegistrationInput } from './service.ts';

/** Test helpers shared by the register tests (not a test file). */
export const egInScope = '690800206';
export const otherEgInScope = '690800388';
export const egOutOfScope = '690801600';
export const scope = [egInScope, otherEgInScope];
export const actor = { id: 'user:gestionnaire-1', kind: 'gestionnaire' };
export const today = '2026-11-23';

/** Letters only (names refuse digits): 0 → "A", 27 → "AB". */
export function letters(n: number): string {
  let s = '';
  let i = n;
  do {
    s = String.fromCharCode(65 + (i % 26)) + s;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return s;
}

export function etatCivil(overrides: Partial<EtatCivilInput> = {}): EtatCivilInput {
  return {
    civilite: 'MME',
    sexe: 'F',
    birthName: 'Dupont',
    usageName: null,
    firstNames: ['Marie', 'Claire'],
    birthDate: '1985-06-15',
    birthCountryCode: '99100',
    birthCommuneCode: '69123',
    ...overrides,
  };
}

/** A valid registration; `n` makes contact data unique. */
export function registration(
  n: number,
  overrides: { etatCivil?: Partial<EtatCivilInput> } & Partial<Omit<RegistrationInput, 'etatCivil'>> = {},
): RegistrationInput {
  const { etatCivil: ec, ...rest } = overrides;
  return {
    etatCivil: etatCivil(ec),
    contact: { email: `pro${n}@exemple.fr`, mobile: `06${String(10_000_000 + n)}` },
    situation: { egFiness: egInScope, professionCode: '313', roleCode: 'GENR11', modeCode: 'S', startDate: '2026-11-01' },
    ...rest,
  };
}

/** A distinct person per `n`: different birth date and name, so no duplicate check fires. */
export function distinctRegistration(n: number, extra: Partial<RegistrationInput> = {}): RegistrationInput {
  const birth = new Date(Date.UTC(1960, 0, 1) + n * 86_400_000 * 3).toISOString().slice(0, 10);
  return registration(n, { etatCivil: { birthName: `Nom${letters(n)}`, firstNames: [`Prenom${letters(n)}`], birthDate: birth }, ...extra });
}
