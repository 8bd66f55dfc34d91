import type { OidcProviderName } from '../config.ts';
import type { StaffRoleName } from '../db/schema.ts';

/** A role of a person, as read from `staff_role` on every request. */
export interface StaffRole {
  role: StaffRoleName;
  /** null for an ANS operator (national scope). */
  ejFiness: string | null;
  /** null: the whole EJ. */
  egFiness: string | null;
}

export interface AnonymousActor {
  kind: 'anonymous';
}

/** A person signed in through Pro Santé Connect or FranceConnect (browser session). */
export interface PersonActor {
  kind: 'person';
  accountId: string;
  /** SHA-256 of the session cookie (the `session` primary key). */
  sessionId: string;
  provider: OidcProviderName;
  /** National person identifier (PSC only). */
  idnps: string | null;
  familyName: string;
  givenName: string;
  roles: StaffRole[];
  csrfToken: string;
}

/** A machine client authenticated by an API key. */
export interface MachineActor {
  kind: 'machine';
  apiKeyId: string;
  name: string;
  scopes: string[];
  /** The EJ the key is bound to (its imports stay within it); null: a national key. */
  ejFiness: string | null;
}

export type Actor = AnonymousActor | PersonActor | MachineActor;

export const anonymous: AnonymousActor = Object.freeze({ kind: 'anonymous' });

export const hasRole = (actor: Actor, role: StaffRoleName) =>
  actor.kind === 'person' && actor.roles.some((r) => r.role === role);

/**
 * Values derived from a person's session and roles (e.g. his register EG scope), kept as long as
 * the session cache keeps his session: the session store gives every actor of one cached session
 * the same map, dropped with the entry (a change of his session, account or roles, or of the
 * structures, notifies it: src/server/auth/session-cache.ts). Without the cache each request has
 * its own map, so a derived value is read again per request.
 */
const derived = new WeakMap<PersonActor, Map<string, unknown>>();
export const derivedValuesOf = (actor: Actor): Map<string, unknown> | undefined => (actor.kind === 'person' ? derived.get(actor) : undefined);
export const attachDerivedValues = (actor: PersonActor, values: Map<string, unknown>) => void derived.set(actor, values);
