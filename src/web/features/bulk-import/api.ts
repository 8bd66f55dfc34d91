import { ApiError, csrfToken, NetworkError, type Problem } from '../../api/client.ts';

/** Types and addresses of the bulk import API (src/server/modules/bulk-import/schemas.ts). */
export const bulkImportApi = '/api/bulk-imports';
export const bulkImportPath = '/import-en-masse';

export interface RowReport {
  rowNumber: number;
  /** Birth name and first first name, as the file gives them. */
  person?: string;
  status: 'valid' | 'invalid' | 'pending' | 'imported' | 'failed';
  errors: Array<{ column: string; detail: string }>;
}
export interface CheckReport {
  format: 'csv' | 'xlsx';
  rows: number;
  valid: number;
  invalid: number;
  report: RowReport[];
}
export interface Progress {
  id: string;
  /** `register`: rows registered (declarations ticked); `pending`: requests to validate. */
  mode: 'register' | 'pending';
  status: 'committing' | 'done';
  rows: number;
  invalid: number;
  pending: number;
  imported: number;
  failed: number;
  etaSeconds: number | null;
}
export interface StructureChoice {
  ejFiness: string;
  name: string;
  egFiness: string[];
}

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
