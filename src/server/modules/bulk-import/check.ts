import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import { checkFiness } from '../../identifiers.ts';
import { RequestAlreadyPendingError } from '../preregistration/errors.ts';
import { pendingRequestsForMany } from '../preregistration/pending-batch.ts';
import { findDuplicateCandidatesOfMany } from '../register/duplicate-batch.ts';
import { candidateView, classifyCandidates } from '../register/duplicate-candidates.ts';
import { duplicateProbe } from '../register/duplicates.ts';
import { IdentityIndex } from '../register/identity-index.ts';
import { nameKey, normalizeName } from '../register/names.ts';
import type { EgScope, EtatCivil } from '../register/types.ts';
import { createRegisterValidation } from '../register/validation.ts';
import { type ColumnKey, columnOf, impossibleDate, personOf, type RowInput, toInput } from './columns.ts';
import type { ParsedFile } from './csv.ts';
import { BulkImportForbiddenError } from './errors.ts';
import { loadImportLookups } from './lookups.ts';
import { type CheckedValues, type CheckReport, type RowError, type RowReport, setSize } from './model.ts';
import { readWithoutJit } from './planner.ts';

/** More birth dates than this for one birth name + first name in a file: none of its rows is looked up. */
export const maxDatesPerName = 3;
const probeName = (e: { birthName?: string | null; firstNames?: Array<string | null | undefined> | null }) => `${nameKey(normalizeName(e.birthName ?? ''))}|${nameKey(normalizeName(e.firstNames?.[0] ?? ''))}`;

/**
 * Names that a file gives with more than `maxDatesPerName` birth dates: "one dry run of 365 rows
 * with the same name and each day of a year" (issue 15) is an oracle on a person's birth date,
 * not a list of staff. Their rows are reported invalid without any lookup in the register.
 */
function serialProbes(inputs: readonly RowInput[]): Set<string> {
  const dates = new Map<string, Set<string>>();
  for (const { etatCivil: ec } of inputs) {
    if (!ec.birthName || !ec.birthDate) continue;
    const key = probeName(ec);
    dates.set(key, (dates.get(key) ?? new Set()).add(ec.birthDate));
  }
  return new Set([...dates].filter(([, d]) => d.size > maxDatesPerName).map(([k]) => k));
}

export type CheckedFile = CheckReport & {
  /** The valid rows as the file gives them. */
  inputs: Map<number, RowInput>;
  /** The valid rows' values as the register's rules normalized them. */
  values: Map<number, CheckedValues>; outOfScope: number[]; matches: { inScope: number; outOfScope: number } };

/** The EG of the EJ the actor may register in (the policy's scope, narrowed to this EJ in SQL). */
export async function egScopeIn(db: Database, scope: EgScope, ejFiness: string, byKey = false): Promise<string[]> {
  let q = db.selectFrom('structure').select('finess').where('kind', '=', 'EG').where('ejFiness', '=', ejFiness);
  if (scope !== 'all') q = scope.length === 0 ? q.where((eb) => eb.val(false)) : q.where('finess', 'in', [...scope]);
  const egs = (await q.orderBy('finess').execute()).map((r) => r.finess);
  if (egs.length === 0) throw new BulkImportForbiddenError(scope === 'all' ? 'no-eg' : byKey ? 'key' : 'person');
  return egs;
}

/**
 * Checks every row of a file with the register's rules (the wizard's `check*`, duplicate search
 * and decision), set-based: the nomenclatures, structures and communes are loaded once, and per
 * `setSize` rows one query reads the contacts in use, one the duplicate candidates of the rows
 * (register/duplicate-batch.ts) and one the EJ's pending requests. Writes nothing.
 */
export async function checkRows(deps: { db: Database; clock: Clock }, scope: EgScope, ejFiness: string, egs: string[], parsed: ParsedFile, onRow?: (done: number) => void): Promise<CheckedFile> {
  const { db } = deps;
  const all = parsed.rows.map(({ rowNumber, raw }) => ({ rowNumber, raw, input: toInput(raw) }));
  const loaded = await loadImportLookups(db, all.map((r) => r.input));
  const validation = createRegisterValidation({ ...deps, lookups: loaded.lookups });

  const matches = { inScope: 0, outOfScope: 0 };
  const report: RowReport[] = [];
  const inputs = new Map<number, RowInput>();
  const values = new Map<number, CheckedValues>();
  const outOfScope: number[] = [];
  // The earlier rows of the file, for "même personne qu'à la ligne N" (matchIdentity's rule).
  const earlierRows = new IdentityIndex<number>();
  const emails = new Map<string, number>();
  const mobiles = new Map<string, number>();
  const serial = serialProbes(all.map((r) => r.input));
  // The register's answers for the previous set, still awaited while this one is checked in memory.
  let previous: Promise<void> = Promise.resolve();

  for (let start = 0; start < all.length; start += setSize) {
    const batch = all.slice(start, start + setSize);
    // The register's rules, row by row in memory (the contacts in use read for the batch at once).
    const registered = await loaded.checkAll(batch, ({ input }) => validation.checkRegistration(input, ''));
    // Then the file's own rules, in file order; the rows to look up in the register wait for the batch query.
    const checked: Array<{ rowNumber: number; raw: (typeof batch)[number]['raw']; input: RowInput; values?: CheckedValues; errors: RowError[]; lookup?: EtatCivil }> = [];
    for (const [index, { rowNumber, raw, input }] of batch.entries()) {
      const errors: RowError[] = [];
      const add = (pointer: string, detail: string) => errors.push({ column: columnOf(pointer), detail });

      const eg = input.situation.egFiness ? checkFiness(input.situation.egFiness) : undefined;
      const foreign = eg?.valid === true && !egs.includes(eg.finess);
      if (foreign) {
        outOfScope.push(rowNumber);
        add('/situation/egFiness', `L’établissement ${eg.finess} ne fait pas partie de votre périmètre pour cette entité juridique.`);
      }
      const { etatCivil: ec, contact: ct, situation: st, errors: registerErrors } = registered[index]!;
      // 31/02/1990 is said to be impossible, in place of the register's "format attendu".
      const impossible = new Map<string, string>();
      for (const k of ['birthDate', 'startDate'] as const satisfies readonly ColumnKey[]) {
        const detail = impossibleDate(raw[k]);
        if (detail) impossible.set(k === 'birthDate' ? '/etatCivil/birthDate' : '/situation/startDate', detail);
      }
      for (const [pointer, detail] of impossible) add(pointer, detail);
      for (const e of registerErrors) {
        if (!(foreign && e.pointer === '/situation/egFiness') && !impossible.has(e.pointer)) add(e.pointer, e.detail);
      }

      if (ct.value) {
        // Contact data are personal: never shared by two people (guide ANS), in the file too.
        const sameEmail = emails.get(ct.value.email);
        if (sameEmail) add('/contact/email', `Adresse électronique déjà utilisée à la ligne ${sameEmail} du fichier.`);
        else emails.set(ct.value.email, rowNumber);
        const sameMobile = mobiles.get(ct.value.mobile);
        if (sameMobile) add('/contact/mobile', `Numéro de mobile déjà utilisé à la ligne ${sameMobile} du fichier.`);
        else mobiles.set(ct.value.mobile, rowNumber);
      }

      let lookup: EtatCivil | undefined;
      if (ec.value && serial.has(probeName(ec.value))) {
        // The same name with many birth dates: a probe of the register, not a staff list (issue 15).
        add('', `Plusieurs lignes du fichier (plus de ${maxDatesPerName}) portent les mêmes nom de naissance et prénom avec des dates de naissance différentes : elles ne sont pas comparées au répertoire. Corrigez le fichier ou enregistrez ces personnes une à une.`);
      } else if (ec.value) {
        const e = ec.value;
        const likelyRow = earlierRows.find(e);
        if (likelyRow) add('', `Doublon : même personne (ou très ressemblante) qu’à la ligne ${likelyRow} du fichier.`);
        else {
          earlierRows.add(e, rowNumber);
          lookup = e;
        }
      }
      checked.push({ rowNumber, raw, input, values: ec.value && ct.value && st.value ? { etatCivil: ec.value, contact: ct.value, situation: st.value } : undefined, errors, lookup });
    }

    // The register and the EJ's queue, for the whole set at once (two queries on two connections),
    // while the next set is checked in memory; the sets are reported in file order.
    await previous;
    const looked = checked.filter((c) => c.lookup);
    const identities = looked.map((c) => c.lookup!);
    previous = Promise.all([readWithoutJit(db, (trx) => findDuplicateCandidatesOfMany(trx, identities.map(duplicateProbe))), pendingRequestsForMany(db, ejFiness, identities)]).then(([candidates, pending]) => {
      looked.forEach((c, i) => {
        const add = (detail: string) => c.errors.push({ column: columnOf(''), detail });
        // Out of the caller's scope a match is named by nothing (issue 15): no number, no name.
        const classified = classifyCandidates(c.lookup!, candidates.get(i) ?? [], scope);
        const found = { exact: classified.exact.map(candidateView), likely: classified.likely.map(candidateView) };
        const known = (list: typeof found.exact) => list.flatMap((d) => (d.inScope && d.rpps ? [d.rpps] : []));
        for (const d of [...found.exact, ...found.likely]) matches[d.inScope ? 'inScope' : 'outOfScope'] += 1;
        if (known(found.exact).length > 0) {
          add(`Cette personne est déjà enregistrée au RPPS (n° ${known(found.exact).join(', ')}) : ajoutez-lui une situation d’exercice au lieu de l’enregistrer à nouveau.`);
        } else if (found.exact.length > 0) {
          add('Cette personne est déjà enregistrée au RPPS par une autre structure : si vous connaissez son numéro RPPS, ajoutez-lui une situation d’exercice.');
        } else if (known(found.likely).length > 0) {
          add(`Doublon probable avec une personne déjà enregistrée (RPPS ${known(found.likely).join(', ')}) : vérifiez-le avec le formulaire d’enregistrement.`);
        } else if (found.likely.length > 0) {
          add('Une identité proche est déjà enregistrée : enregistrez cette personne avec le formulaire (l’ANS vérifiera) ou, si vous connaissez son numéro RPPS, ajoutez-lui une situation d’exercice.');
        }
        // Already in this EJ's queue: validating that request registers the person.
        const request = pending[i];
        if (request) add(new RequestAlreadyPendingError(request.submittedOn).detail);
      });

      for (const c of checked) {
        report.push({ rowNumber: c.rowNumber, person: personOf(c.raw), status: c.errors.length === 0 ? 'valid' : 'invalid', errors: c.errors });
        if (c.errors.length === 0) {
          inputs.set(c.rowNumber, c.input);
          values.set(c.rowNumber, c.values!);
        }
        onRow?.(report.length);
      }
    });
    // Its failure is thrown where it is awaited (next set, or below), not as an unhandled rejection meanwhile.
    previous.catch(() => {});
  }
  await previous;
  const valid = inputs.size;
  return { format: parsed.format, encoding: parsed.encoding, delimiter: parsed.delimiter, rows: report.length, valid, invalid: report.length - valid, report, inputs, values, outOfScope, matches };
}
