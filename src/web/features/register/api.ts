import type { duplicateCandidate, establishmentList, personView, professionalList, reviewList, situationView, submitResult } from '../../../server/modules/register/schemas.ts';
import { ApiError, csrfToken, NetworkError, type Problem } from '../../api/client.ts';
import type { ResponseOf } from '../../api/json.ts';

/** Types and addresses of the register API (src/server/modules/register/schemas.ts). */
export const registerApi = '/api/register';

export interface EtatCivilForm {
  civilite: string;
  sexe: string;
  birthName: string;
  usageName: string;
  firstNames: string[];
  birthDate: string;
  birthCountryCode: string;
  birthCommuneCode: string;
  birthPlace: string;
}
export interface ContactForm {
  email: string;
  mobile: string;
}
export interface SituationForm {
  egFiness: string;
  professionCode: string;
  roleCode: string;
  modeCode: string;
  exerciseLastName: string;
  exerciseFirstName: string;
  startDate: string;
}
export interface Draft {
  id: string;
  etatCivil: Partial<EtatCivilForm> | null;
  contact: Partial<ContactForm> | null;
  situation: Partial<SituationForm> | null;
  declarations: { accurateAndInformed?: boolean; metInPerson?: boolean } | null;
  identityDocument: { originalName: string; contentType: string; sizeBytes: number } | null;
  completedSteps: string[];
  rpps: string | null;
  submittedAt: string | null;
  updatedAt: string;
}
/** The answer to a submission: the number, and `registeredAt`, when the server recorded it (ISO 8601). */
export type RegistrationResult = ResponseOf<typeof submitResult>;
/** Out of the gestionnaire's scope (`inScope: false`) the other fields are null: a close identity, named by nothing. */
export type DuplicateCandidate = ResponseOf<typeof duplicateCandidate>;
export type SituationView = ResponseOf<typeof situationView>;
export type ProfessionalList = ResponseOf<typeof professionalList>;
/** `contact` is null-valued when entered for another structure (`contactMasked`). */
export type Professional = ResponseOf<typeof personView>;
export type Establishment = ResponseOf<typeof establishmentList>['items'][number];
/** An identity the ANS reviews (operator). */
export type IdentityReview = ResponseOf<typeof reviewList>['items'][number];
export interface CodeList {
  items: Array<{ code: string; label: string; selectable?: boolean }>;
}

/** Field errors of a problem keyed by their path below `/body/` (`firstNames/0`, `birthName`). */
export function errorsByField(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const e of err.problem.errors ?? []) {
    const key = e.pointer.replace(/^\/body\/?/, '');
    out[key] ??= e.detail;
  }
  return out;
}

/** PUT a file as multipart/form-data with the CSRF header. */
export async function uploadFile<T>(url: string, field: string, file: File): Promise<T> {
  const body = new FormData();
  body.append(field, file);
  let response: Response;
  try {
    response = await fetch(url, { method: 'PUT', credentials: 'same-origin', headers: { accept: 'application/json, application/problem+json', 'x-csrf-token': csrfToken() }, body });
  } catch {
    throw new NetworkError('Impossible de joindre le service. Vérifiez votre connexion puis réessayez.');
  }
  const parsed = (await response.json().catch(() => undefined)) as unknown;
  if (response.ok) return parsed as T;
  if (parsed && typeof parsed === 'object' && 'type' in parsed) throw new ApiError(parsed as Problem);
  throw new NetworkError('Le service ne répond pas comme prévu. Réessayez dans quelques instants.');
}

export const labelOf = (list: CodeList | undefined, code: string) => list?.items.find((i) => i.code === code)?.label ?? code;
