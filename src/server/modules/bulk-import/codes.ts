import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { csvCell } from '../../../shared/spreadsheet.ts';
import { isSelectable } from '../referential/service.ts';

/**
 * The lists of valid codes of the bulk-import file (issue 17): one CSV `code;libellé` per list,
 * so that a gestionnaire fills a column from a list he can read instead of guessing a code.
 */
export const codeLists = {
  civilite: { kind: 'civilite', column: 'Civilité', title: 'Civilités' },
  pays: { kind: 'country', column: 'Pays de naissance', title: 'Pays' },
  communes: { kind: null, column: 'Commune de naissance', title: 'Communes (code INSEE)' },
  professions: { kind: 'profession', column: 'Profession', title: 'Professions' },
  roles: { kind: 'role', column: 'Rôle', title: 'Rôles' },
  modes: { kind: 'mode-exercice', column: 'Mode d’exercice', title: 'Modes d’exercice' },
} as const;
export type CodeList = keyof typeof codeLists;
export const codeListParams = z.object({ list: z.enum(Object.keys(codeLists) as [CodeList, ...CodeList[]]) });

/** The codes a row may hold today (`on`), as CSV `;` with BOM (Excel): formulas neutralised. */
export async function codeListCsv(db: Database, list: CodeList, on: string): Promise<string> {
  const { kind } = codeLists[list];
  const rows: Array<[string, string]> = [];
  if (kind === null) {
    // Communes existing today; a birth in a former commune is checked against its dates.
    const communes = await db
      .selectFrom('commune')
      .select(['inseeCode', 'name', 'departmentCode'])
      .where((eb) => eb.or([eb('validTo', 'is', null), eb('validTo', '>', on)]))
      .orderBy('inseeCode')
      .orderBy('name')
      .execute();
    for (const c of communes) rows.push([c.inseeCode, c.departmentCode ? `${c.name} (${c.departmentCode})` : c.name]);
  } else {
    const codes = await db.selectFrom('nomenclatureCode').select(['code', 'label', 'validFrom', 'validTo', 'selectable']).where('kind', '=', kind).orderBy('position').execute();
    for (const c of codes) if (isSelectable(c, on)) rows.push([c.code, c.label]);
  }
  const lines = [['Code', 'Libellé'], ...rows].map((r) => r.map(csvCell).join(';'));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
