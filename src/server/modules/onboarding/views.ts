import type { z } from 'zod';
import type { contractView, habilitationView } from './schemas.ts';

/** The one place rows become API objects (no column reaches the client by accident). */
export function toContractView(r: {
  id: string;
  ejFiness: string;
  ejName: string | null;
  status: z.infer<typeof contractView>['status'];
  strategy: z.infer<typeof contractView>['strategy'];
  rlCivility: string;
  rlFamilyName: string;
  rlGivenName: string;
  rlEmail: string;
  rlPhone: string;
  rlIdnps: string | null;
  cdeIdnps: string | null;
  signedOn: string | null;
  signedFileId: string | null;
  decisionReason: string | null;
  submittedAt: Date | null;
  decidedAt: Date | null;
  terminatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  egFiness: string | null;
  siret: string | null;
  address: string | null;
  rlCardMatricule: string | null;
  mieCguVersion: string | null;
  mieCguAcceptedAt: Date | null;
}): z.infer<typeof contractView> {
  const { signedFileId, ...rest } = r;
  return { ...rest, hasSignedContract: signedFileId !== null, ejFiness: r.ejFiness };
}

export function toHabilitationView(r: {
  id: string;
  ejFiness: string;
  idnps: string;
  familyName: string;
  givenName: string;
  email: string;
  scopeKind: 'ej' | 'eg';
  egFiness: string[] | null;
  status: 'active' | 'revoked';
  credential: 'card' | 'ecps';
  cardForm: 'F301' | 'F502' | null;
  cardFormReference: string | null;
  elearningCompletedOn: string;
  endsOn: string | null;
  revokedAt: Date | null;
  revokeReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}): z.infer<typeof habilitationView> {
  return {
    id: r.id,
    ejFiness: r.ejFiness,
    idnps: r.idnps,
    familyName: r.familyName,
    givenName: r.givenName,
    email: r.email,
    scope: r.scopeKind,
    egFiness: [...(r.egFiness ?? [])].sort(),
    status: r.status,
    credential: r.credential,
    cardForm: r.cardForm,
    cardFormReference: r.cardFormReference,
    elearningCompletedOn: r.elearningCompletedOn,
    endsOn: r.endsOn,
    revokedAt: r.revokedAt,
    revokeReason: r.revokeReason,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
