import departments from '@etalab/decoupage-administratif/data/departements.json';
import regions from '@etalab/decoupage-administratif/data/regions.json';

/**
 * Names of the regions and departments of the INSEE COG (the package the server seeds its
 * nomenclatures from; ~13 kB, bundled only with the pages that show areas), so that no table
 * shows a bare "84" or "69" (issue 17).
 */
const regionNames = new Map((regions as Array<{ code: string; nom: string }>).map((r) => [r.code, r.nom]));
const departmentNames = new Map((departments as Array<{ code: string; nom: string }>).map((d) => [d.code, d.nom]));

/** "84" → "Auvergne-Rhône-Alpes"; an unknown code is kept as given. */
export function regionName(code: string | null | undefined): string {
  if (!code) return '';
  return regionNames.get(code) ?? code;
}

/** "69" → "Rhône (69)"; "2A" → "Corse-du-Sud (2A)"; an unknown code is kept as given. */
export function departmentName(code: string | null | undefined): string {
  if (!code) return '';
  const name = departmentNames.get(code.toUpperCase());
  return name ? `${name} (${code.toUpperCase()})` : code;
}
