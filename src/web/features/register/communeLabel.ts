import { withQuery } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';

/** A commune as the referential API gives it (GET /api/communes, /api/communes/{inseeCode}). */
export interface Commune {
  inseeCode: string;
  name: string;
  departmentCode: string | null;
  kind: string;
  currentInseeCode: string | null;
}

/** How a chosen or saved commune is shown: "Toulouse (31)", never its bare INSEE code. */
export const communeLabel = (c: Pick<Commune, 'name' | 'departmentCode'>) => (c.departmentCode ? `${c.name} (${c.departmentCode})` : c.name);

export const communeUrl = (inseeCode: string, on?: string) =>
  withQuery(`/api/communes/${encodeURIComponent(inseeCode)}`, { on: on && /^\d{4}-\d{2}-\d{2}$/.test(on) ? on : undefined });

/**
 * The name of a saved INSEE code (the commune of that code on `on`, a birth date): null while it
 * loads; the code itself only if the referential does not know it.
 */
export function useCommuneLabel(inseeCode: string | null | undefined, on?: string): string | null {
  const result = useResource<Commune>(inseeCode ? communeUrl(inseeCode, on) : null);
  if (!inseeCode) return null;
  if (result.status === 'success') return communeLabel(result.data);
  if (result.status === 'error') return inseeCode;
  return null;
}
