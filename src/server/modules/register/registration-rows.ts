import type { Actor, Contact, EtatCivil, Situation } from './types.ts';
import { firstNamesKey, identityKey, nameKey } from './names.ts';
import type { AuditEntry } from '../../audit.ts';
import { toSearchText } from '../../search-text.ts';
import { situationAudit } from './situation-view.ts';

/**
 * The rows a registration writes, built in one place for the form's registration
 * (`registerProfessional`) and a bulk import's batch (bulk-import/register-batch.ts).
 */
export function personValues(input: {
  rpps: string;
  etatCivil: EtatCivil;
  contact: Contact;
  identityDocumentId: string | null;
  contactEjFiness: string | null;
  toReview: boolean;
  actor: Actor;
  at: Date;
}) {
  const { etatCivil: e, contact: c } = input;
  return {
    rpps: input.rpps,
    civilite: e.civilite,
    sexe: e.sexe,
    birthName: e.birthName,
    usageName: e.usageName,
    firstNames: e.firstNames,
    birthDate: e.birthDate,
    birthCountryCode: e.birthCountryCode,
    birthCommuneCode: e.birthCommuneCode,
    birthPlace: e.birthPlace,
    email: c.email,
    mobile: c.mobile,
    identityDocumentId: input.identityDocumentId,
    contactEjFiness: input.contactEjFiness,
    ...(input.toReview ? { identityStatus: 'to_review' as const, identityCheckReasons: ['possible-duplicate'] } : {}),
    birthNameKey: nameKey(e.birthName),
    usageNameKey: e.usageName ? nameKey(e.usageName) : null,
    firstNamesKey: firstNamesKey(e.firstNames),
    identityKey: identityKey(e),
    createdBy: input.actor.id,
    createdAt: input.at,
    updatedAt: input.at,
  };
}

/** The first version of a person's record (état civil and contact, as registered). */
export function personVersionValues(input: { personId: string; etatCivil: EtatCivil; contact: Contact; identityStatus: string; actor: Actor; at: Date }) {
  return {
    personId: input.personId,
    version: 1,
    action: 'create',
    actorId: input.actor.id,
    actorKind: input.actor.kind,
    at: input.at,
    before: null,
    after: JSON.stringify({ ...input.etatCivil, ...input.contact, identityStatus: input.identityStatus }),
  };
}

export function situationValues(input: { personId: string; situation: Situation; actor: Actor; at: Date }) {
  const s = input.situation;
  return {
    personId: input.personId,
    egFiness: s.egFiness,
    professionCode: s.professionCode,
    roleCode: s.roleCode,
    modeCode: s.modeCode,
    exerciseLastName: s.exerciseLastName,
    exerciseFirstName: s.exerciseFirstName,
    searchText: toSearchText(s.exerciseLastName, s.exerciseFirstName),
    startDate: s.startDate,
    createdBy: input.actor.id,
    createdAt: input.at,
    updatedAt: input.at,
  };
}

/** The audit entry of a new person: number and identity status, never the état civil. */
export function personCreatedAudit(input: { personId: string; rpps: string; identityStatus: string; notDuplicateOf: string[]; outOfScopeCandidates: number; actor: Actor; at: Date }): AuditEntry {
  return {
    at: input.at,
    actor: input.actor,
    action: 'person.create',
    entityType: 'person',
    entityId: input.personId,
    after: { rpps: input.rpps, identityStatus: input.identityStatus, notDuplicateOf: input.notDuplicateOf, outOfScopeCandidates: input.outOfScopeCandidates },
  };
}

export function situationCreatedAudit(row: Parameters<typeof situationAudit>[0], actor: Actor, at: Date): AuditEntry {
  return { at, actor, action: 'situation.create', entityType: 'situation', entityId: row.id, after: situationAudit(row) };
}
