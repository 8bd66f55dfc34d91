import { matchIdentity } from './duplicates.ts';
import { type DuplicateCandidate, DuplicatePersonError, IdentityAlreadyRegisteredError } from './errors.ts';
import type { findDuplicateCandidates } from './queries.ts';
import type { EgScope, EtatCivil } from './types.ts';

/** A register person close to an identity being registered (unmasked: internal). */
export interface Candidate {
  rpps: string;
  birthDate: string;
  exerciseName: string | null;
  inScope: boolean;
}

export const inScope = (scope: EgScope, eg: string) => scope === 'all' || scope.includes(eg);

/**
 * Exact and likely duplicates among the candidate rows of an identity, decided by `matchIdentity`
 * (the single check and a bulk import's batch query give the same rows).
 */
export function classifyCandidates(etatCivil: EtatCivil, rows: Awaited<ReturnType<typeof findDuplicateCandidates>>, scope: EgScope) {
  const exact: Candidate[] = [];
  const likely: Candidate[] = [];
  for (const row of rows) {
    const kind = matchIdentity(etatCivil, row);
    const candidate = { rpps: row.rpps, birthDate: row.birthDate, exerciseName: row.exerciseName, inScope: row.egs.some((eg) => inScope(scope, eg)) };
    if (kind === 'exact') exact.push(candidate);
    else if (kind === 'likely') likely.push(candidate);
  }
  return { exact, likely };
}

/**
 * A candidate as the caller may see it: identified only when the person has a situation in the
 * caller's scope; otherwise "a close identity is already registered" and nothing else (issue 15).
 */
export const candidateView = (c: Candidate): DuplicateCandidate => {
  if (!c.inScope) return { inScope: false, rpps: null, exerciseLastName: null, exerciseFirstName: null, birthYear: null };
  const [last, first] = c.exerciseName?.split('|') ?? [];
  return { inScope: true, rpps: c.rpps, exerciseLastName: last ?? null, exerciseFirstName: first ?? null, birthYear: Number(c.birthDate.slice(0, 4)) };
};

/**
 * The register's decision on the duplicates of a registration: an exact match refuses it; a
 * likely one refuses it unless the gestionnaire declared it another person (`notDuplicateOf`) or,
 * out of his scope, acknowledged it (then ANS reviews the identity: `toReview`). Throws the refusal.
 */
export function duplicateDecision(found: ReturnType<typeof classifyCandidates>, input: { notDuplicateOf?: string[]; outOfScopeAcknowledged?: boolean }) {
  if (found.exact.length > 0) throw new IdentityAlreadyRegisteredError(found.exact.map(candidateView));
  // A number known to the caller may be declared a different person (it names nobody new).
  const declared = new Set(input.notDuplicateOf ?? []);
  const likely = found.likely.filter((d) => !declared.has(d.rpps));
  const outOfScope = likely.filter((d) => !d.inScope);
  if (likely.some((d) => d.inScope) || (outOfScope.length > 0 && !input.outOfScopeAcknowledged)) throw new DuplicatePersonError(likely.map(candidateView));
  // Registered despite a close identity he may not see: ANS checks it (identity review).
  return { declared, outOfScope, toReview: outOfScope.length > 0 };
}
