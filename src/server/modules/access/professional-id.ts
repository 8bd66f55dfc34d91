import { luhnValid } from '../../identifiers.ts';

/**
 * A professional as other systems name him: his RPPS number (11 digits, Luhn key) or his IDNPS,
 * the national identifier of e-CPS and Pro Santé Connect, which is `8` + RPPS (DOMAIN.md,
 * "Identifiers"). Other IDNPS kinds (`0` + ADELI, `3` + FINESS/local id) name no RPPS person.
 */
export type ProfessionalIdCheck =
  | { ok: true; rpps: string; idnps: string }
  | { ok: false; reason: 'format' | 'key' | 'not-rpps'; detail: string };

export const idnpsOf = (rpps: string) => `8${rpps}`;

export function parseProfessionalId(input: string): ProfessionalIdCheck {
  const value = input.replace(/\s+/g, '');
  let rpps: string;
  if (/^\d{11}$/.test(value)) rpps = value;
  else if (/^8\d{11}$/.test(value)) rpps = value.slice(1);
  else if (/^(0\d{9}|3.+)$/.test(value)) {
    return { ok: false, reason: 'not-rpps', detail: 'Cet identifiant (ADELI ou identifiant de structure) ne désigne pas un professionnel du RPPS.' };
  } else {
    return {
      ok: false,
      reason: 'format',
      detail: 'Identifiant attendu : numéro RPPS (11 chiffres) ou IDNPS (8 suivi des 11 chiffres du RPPS).',
    };
  }
  if (!luhnValid(rpps)) return { ok: false, reason: 'key', detail: 'La clé de contrôle du numéro RPPS est incorrecte (dernier chiffre, clé de Luhn).' };
  return { ok: true, rpps, idnps: idnpsOf(rpps) };
}
