/**
 * Shared by the permission matrices (tests/permissions, the onboarding module's): which allowed
 * mutations to run, last, on the same targets, and what they may answer.
 */

/**
 * Every allowed actor of every mutating row, deletions at the end and only by their
 * least-privileged allowed actor (listed last): what is deleted cannot be deleted twice.
 * `rank` orders further: a call that takes everyone's rights away (ending a contract) goes last.
 */
export function allowedMutations<R extends { method: string; allowed: readonly unknown[] }>(rows: readonly R[], rank: (row: R) => number = () => 0): Array<[R, R['allowed'][number]]> {
  const order = (r: R) => rank(r) * 2 + Number(r.method === 'DELETE');
  const mutations = rows.filter((r) => r.method !== 'GET').sort((a, b) => order(a) - order(b));
  return mutations.flatMap((row) => (row.method === 'DELETE' ? row.allowed.slice(-1) : row.allowed).map((actor): [R, R['allowed'][number]] => [row, actor]));
}

/** Past authorization: done, or refused by a business rule (already decided, duplicate…). */
export const pastAuthorization = [200, 201, 202, 204, 409, 422];
