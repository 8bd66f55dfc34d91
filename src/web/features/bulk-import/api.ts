import type { checkReport, progressView, structureChoices } from '../../../server/modules/bulk-import/schemas.ts';
import { ApiError, csrfToken, NetworkError, type Problem } from '../../api/client.ts';
import type { ResponseOf } from '../../api/json.ts';

/** Types (from the server's schemas) and addresses of the bulk import API (src/server/modules/bulk-import/schemas.ts). */
export const bulkImportApi = '/api/bulk-imports';
export const bulkImportPath = '/import-en-masse';

/** A dry run's report, row by row (`rpps`/`requestId` once a committed row is processed). */
export type CheckReport = ResponseOf<typeof checkReport>;
export type RowReport = CheckReport['report'][number];
/** A committed import's progress; `mode` `register`: rows registered (declarations ticked), `pending`: requests to validate. */
export type Progress = ResponseOf<typeof progressView>;
export type StructureChoice = ResponseOf<typeof structureChoices>['items'][number];

/** The form's step-4 declarations, by the names the API takes (`Declarations` of the register's schemas). */
export const declarationNames = ['accurateAndInformed', 'metInPerson'] as const;
export type DeclarationName = (typeof declarationNames)[number];

/** POSTs the file (multipart) with the CSRF header; JSON answers are parsed, CSV ones returned as a Blob. */
export async function sendFile<T>(file: File, fields: Record<string, string | readonly string[]>): Promise<T | Blob> {
  const body = new FormData();
  // A list (the ticked declarations) is sent as the field repeated, as a checkbox group would.
  for (const [k, v] of Object.entries(fields)) for (const one of typeof v === 'string' ? [v] : v) body.append(k, one);
  body.append('file', file);
  let response: Response;
  try {
    response = await fetch(`${bulkImportApi}/`, { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json, application/problem+json, text/csv', 'x-csrf-token': csrfToken() }, body });
  } catch {
    throw new NetworkError('Impossible de joindre le service. Vérifiez votre connexion puis réessayez.');
  }
  const type = response.headers.get('content-type') ?? '';
  if (response.ok && type.includes('text/csv')) return response.blob();
  const parsed = (await response.json().catch(() => undefined)) as unknown;
  if (response.ok) return parsed as T;
  if (parsed && typeof parsed === 'object' && 'type' in parsed) throw new ApiError(parsed as Problem);
  throw new NetworkError('Le service ne répond pas comme prévu. Réessayez dans quelques instants.');
}

/** Saves a Blob under a file name (the browser's download). */
export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
