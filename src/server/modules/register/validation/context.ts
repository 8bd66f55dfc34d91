import type { Clock } from '../../../context.ts';
import type { Database } from '../../../db/database.ts';
import { type FieldError, ValidationError } from '../../../errors.ts';
import { checkFiness } from '../../../identifiers.ts';
import { cachedCode, cachedCommune, rememberCommune } from '../../referential/code-cache.ts';
import { createReferentialService, isSelectable } from '../../referential/service.ts';
import type { NomenclatureKind } from '../../referential/schemas.ts';
import { communeExistedIn, communeRows } from '../queries.ts';
import { communeFormat, mergeLookups, type ReadsOf, type RegisterLookups } from '../rule-lookups.ts';
import type { ContactInput, EtatCivilInput, SituationInput } from '../types.ts';
import { blank, normalizeEmail, normalizeMobile } from './rules.ts';

export interface RegisterValidationDeps {
  db: Database;
  clock: Clock;
  lookups?: RegisterLookups;
}

/** What every rule group of one `createRegisterValidation` shares: made once per factory. */
export function createRuleContext(deps: RegisterValidationDeps) {
  const { db, clock } = deps;
  // The communes read before in this process answer after the given lookups (referential/code-cache.ts).
  const lookups = mergeLookups(deps.lookups ?? {}, {
    commune: (code, on) => {
      const rows = cachedCommune(db, code);
      return rows ? communeExistedIn(rows, on) : undefined;
    },
  });
  const referential = createReferentialService(deps);

  /** The reads of these inputs that the lookups do not answer, as the rules would make them. */
  function readsOf(input: { etatCivil?: EtatCivilInput; contact?: ContactInput; situation?: SituationInput }): ReadsOf {
    const reads: ReadsOf = {};
    const f = blank(input.situation?.egFiness) ? undefined : checkFiness(input.situation.egFiness);
    if (f?.valid && lookups.structure?.(f.finess) === undefined) reads.finess = f.finess;
    const commune = input.etatCivil?.birthCommuneCode?.trim().toUpperCase();
    if (commune && communeFormat.test(commune) && lookups.commune?.(commune, undefined) === undefined) reads.commune = commune;
    const email = blank(input.contact?.email) ? undefined : normalizeEmail(input.contact.email);
    if (email && lookups.contactInUse?.('email', email) === undefined) reads.email = email;
    const mobile = blank(input.contact?.mobile) ? undefined : normalizeMobile(input.contact.mobile);
    if (mobile && lookups.contactInUse?.('mobile', mobile) === undefined) reads.mobile = mobile;
    return reads;
  }

  /** A commune read from the database, kept for the next registrations. */
  async function communeRead(inseeCode: string, on: string | undefined) {
    const rows = await communeRows(db, inseeCode);
    rememberCommune(db, inseeCode, rows);
    return communeExistedIn(rows, on);
  }

  /** Referential check, its error collected instead of thrown. */
  async function code(kind: NomenclatureKind, value: string | null | undefined, on: string, pointer: string, label: string, errors: FieldError[]) {
    if (blank(value)) {
      errors.push({ pointer, detail: `${label} est obligatoire.` });
      return undefined;
    }
    // Known and selectable: the answer the referential would give. Anything else goes to it (its messages).
    const known = lookups.code?.(kind, value.trim()) ?? (await cachedCode(db, kind, value.trim()));
    if (known && isSelectable(known, on)) return known.code;
    try {
      return (await referential.requireSelectable(kind, value.trim(), on, pointer)).code;
    } catch (err) {
      if (err instanceof ValidationError) {
        errors.push(...err.errors);
        return undefined;
      }
      throw err;
    }
  }

  return { db, clock, lookups, readsOf, communeRead, code };
}

export type RuleContext = ReturnType<typeof createRuleContext>;
