import { todayOf } from '../../calendar.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { toSearchText } from '../../search-text.ts';
import { findCode, findCommunes, findNomenclature, listCodes, searchCommunes } from './queries.ts';
import type { NomenclatureKind } from './schemas.ts';

interface Validity {
  validFrom: string | null;
  validTo: string | null;
  selectable: boolean;
}

/** A code may be chosen for a new record on `on` when it is offered and valid that day. */
export function isSelectable(code: Validity, on: string): boolean {
  return code.selectable && (code.validFrom === null || code.validFrom <= on) && (code.validTo === null || code.validTo > on);
}

const frenchDate = (iso: string) => iso.split('-').reverse().join('/');

/** Why a code cannot be chosen, and what to choose instead when the nomenclature says it. */
async function notSelectableDetail(db: Database, found: NonNullable<Awaited<ReturnType<typeof findCode>>>, on: string) {
  const extra = (found.extra ?? {}) as { replacedBy?: string; soonAvailable?: boolean };
  const what = `« ${found.label} »`;
  if (extra.soonAvailable && (found.validFrom === null || found.validFrom > on)) {
    return found.validFrom === null || !found.selectable
      ? `${what} n’est pas encore disponible pour les établissements sociaux et médico-sociaux.`
      : `${what} sera disponible à partir du ${frenchDate(found.validFrom)}.`;
  }
  if (found.validTo !== null && found.validTo <= on) {
    // TRE_R85: ex-AVS (318) and ex-AMP (323) select 328 since 2025-12-22.
    const instead = extra.replacedBy ? await findCode(db, found.kind, extra.replacedBy) : undefined;
    const since = `n’est plus proposée depuis le ${frenchDate(found.validTo)}`;
    return instead ? `${what} ${since} : choisissez « ${instead.label} » (${instead.code}).` : `${what} ${since}.`;
  }
  return `${what} ne peut pas être choisi à cette date.`;
}

export function createReferentialService(deps: { db: Database; clock: Clock }) {
  const { db, clock } = deps;
  const today = () => todayOf(clock);

  return {
    async list(kind: NomenclatureKind, options: { on?: string; selectableOnly?: boolean }) {
      const info = await findNomenclature(db, kind);
      if (!info) throw new NotFoundError(`La nomenclature ${kind} n’est pas chargée.`, 'nomenclature-not-found');
      const on = options.on ?? today();
      const items = (await listCodes(db, kind))
        .map((c) => ({
          code: c.code,
          label: c.label,
          system: c.system,
          validFrom: c.validFrom,
          validTo: c.validTo,
          selectable: isSelectable(c, on),
          extra: c.extra,
        }))
        .filter((c) => !options.selectableOnly || c.selectable);
      return { info: { kind: info.kind, source: info.source, codeSystem: info.codeSystem, version: info.version }, on, items };
    },

    /**
     * Checks that `code` may be used for a new record on `on`; returns its label. Old records
     * keep deprecated codes: only new choices go through this check.
     */
    async requireSelectable(kind: NomenclatureKind, code: string, on: string, pointer: string) {
      const found = await findCode(db, kind, code);
      if (!found) throw new ValidationError('Code inconnu.', [{ pointer, detail: `Le code « ${code} » n’existe pas.` }]);
      if (!isSelectable(found, on)) throw new ValidationError('Code non disponible.', [{ pointer, detail: await notSelectableDetail(db, found, on) }]);
      return found;
    },

    /**
     * The commune of an INSEE code, to show a code saved earlier by its name ("Toulouse (31)"):
     * the one that existed on `on` when given (a birth date), else the latest.
     */
    async commune(inseeCode: string, on: string | undefined) {
      const rows = await findCommunes(db, inseeCode.toUpperCase());
      const row = (on ? rows.find((r) => (r.validFrom === null || r.validFrom <= on) && (r.validTo === null || r.validTo > on)) : undefined) ?? rows[0];
      if (!row) throw new NotFoundError(`Aucune commune n’a le code INSEE ${inseeCode}.`, 'commune-not-found');
      const { inseeCode: code, name, departmentCode, kind, currentInseeCode, postalCodes } = row;
      return { inseeCode: code, name, departmentCode, kind: kind as 'current' | 'delegated' | 'associated' | 'arrondissement', currentInseeCode, postalCodes };
    },

    async communes(q: string, on: string | undefined, limit: number) {
      const searchName = toSearchText(q);
      if (searchName.length < 2) return [];
      const rows = await searchCommunes(db, searchName, on, limit);
      return rows.map((r) => ({ ...r, kind: r.kind as 'current' | 'delegated' | 'associated' | 'arrondissement' }));
    },
  };
}
