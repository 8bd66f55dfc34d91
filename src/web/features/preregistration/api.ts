import type { detailView, requestView } from '../../../server/modules/preregistration/schemas.ts';
import type { ResponseOf } from '../../api/json.ts';

/** Types and addresses of the pre-registration API (src/server/modules/preregistration/schemas.ts). */
export const preregistrationApi = '/api/preregistration';

export const preregistrationPaths = {
  entry: '/pre-enregistrement',
  queue: '/demandes-a-traiter',
  decision: (id: string) => `/demandes-a-traiter/${encodeURIComponent(id)}`,
} as const;

/** API types of the pre-registration, from its schemas. */
export type RequestView = ResponseOf<typeof requestView>;
export type RequestStatus = RequestView['status'];
export type EtatCivilView = RequestView['etatCivil'];
export type RequestDetail = ResponseOf<typeof detailView>;
