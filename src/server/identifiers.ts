/**
 * National identifiers and their check keys.
 *
 * Both the RPPS number and the FINESS number end with a Luhn key computed over all their
 * digits (ANS: "clé de Luhn"). Verified on published numbers: FINESS 010007987, 010000180,
 * 750712184 (valid), 750110080 (invalid); RPPS test number 01234567897.
 */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The Luhn key digit to append to `payload`. */
export function luhnKey(payload: string): string {
  for (let k = 0; k <= 9; k++) if (luhnValid(payload + k)) return String(k);
  throw new Error('unreachable');
}

export type FinessCheck =
  | { valid: true; finess: string }
  | { valid: false; reason: 'format' | 'key'; message: string };

/**
 * FINESS: 9 characters, department prefix (2A/2B for Corsica), last digit a Luhn key.
 * The key rule for Corsican numbers is not published: they are accepted without it.
 */
export function checkFiness(input: string): FinessCheck {
  const finess = input.trim().toUpperCase();
  if (!/^(\d{2}|2A|2B)\d{7}$/.test(finess)) {
    return {
      valid: false,
      reason: 'format',
      message: 'Le numéro FINESS doit comporter 9 caractères : 9 chiffres, ou 2A/2B suivi de 7 chiffres.',
    };
  }
  if (finess.startsWith('2A') || finess.startsWith('2B')) return { valid: true, finess };
  if (!luhnValid(finess)) {
    return {
      valid: false,
      reason: 'key',
      message: `La clé de contrôle du numéro FINESS ${finess} est incorrecte (dernier chiffre, clé de Luhn).`,
    };
  }
  return { valid: true, finess };
}

/** RPPS number: 11 digits, Luhn over all of them. */
export function isValidRpps(input: string): boolean {
  return /^\d{11}$/.test(input) && luhnValid(input);
}
