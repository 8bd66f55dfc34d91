import type { contractView, entityView, habilitationView, homeView, mandataireView } from '../../../server/modules/onboarding/schemas.ts';
import { ApiError, csrfToken, NetworkError, type Problem } from '../../api/client.ts';
import type { ResponseOf } from '../../api/json.ts';
import { paths } from '../../app/routes.ts';

/** The contract request with its structure already chosen ("Demander l'adhésion" of an establishment page). */
export const contractRequestFor = (finess: string) => `${paths.contractRequest}?finess=${encodeURIComponent(finess)}`;

/** API types of the onboarding module, from its schemas (src/server/modules/onboarding/schemas.ts). */
export type Contract = ResponseOf<typeof contractView>;
export type Habilitation = ResponseOf<typeof habilitationView>;
export type Entity = ResponseOf<typeof entityView>;
export type Home = ResponseOf<typeof homeView>;
export type Mandataire = ResponseOf<typeof mandataireView>;

export const onboardingApi = {
  me: '/api/onboarding/me',
  contracts: (status?: string) => `/api/onboarding/contracts${status ? `?status=${status}` : ''}`,
  contract: (id: string) => `/api/onboarding/contracts/${id}`,
  entity: (ej: string) => `/api/onboarding/entities/${encodeURIComponent(ej)}`,
  habilitations: (ej: string) => `/api/onboarding/entities/${encodeURIComponent(ej)}/habilitations`,
  habilitation: (id: string) => `/api/onboarding/habilitations/${id}`,
};

/** A multipart form (with files) sent with the CSRF header; throws ApiError / NetworkError like sendJson. */
export async function sendForm<T>(method: 'POST' | 'PUT', url: string, form: FormData): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json, application/problem+json', 'x-csrf-token': csrfToken() },
      body: form,
    });
  } catch {
    throw new NetworkError('Impossible de joindre le service. Vérifiez votre connexion puis réessayez.');
  }
  const parsed: unknown = (response.headers.get('content-type') ?? '').includes('json') ? await response.json().catch(() => undefined) : undefined;
  if (response.ok) return parsed as T;
  if (parsed && typeof parsed === 'object' && 'type' in parsed) throw new ApiError(parsed as Problem);
  throw new ApiError({ type: 'about:blank', title: response.statusText || 'Erreur', status: response.status, detail: 'Le service ne répond pas comme prévu.' });
}

export const errorText = (err: unknown) => (err instanceof ApiError || err instanceof NetworkError ? err.message : 'Une erreur inattendue s’est produite.');
