import { matchIdentity } from './duplicates.ts';
import type { DuplicateCandidate } from './errors.ts';
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
