/**
 * The access decision: may a professional read a DMP document type on a date?
 * Pure: it takes the person's situations and the matrix in force, so it is tested on every
 * role × document type without a database, and the API, batch and UI all share it.
 */
export interface SituationForDecision {
  egFiness: string;
  roleCode: string;
  startDate: string;
  endDate: string | null;
  status: 'active' | 'ended' | 'deleted';
}

export interface Matrix {
  /** role code → document type keys the role may read. */
  grants: ReadonlyMap<string, ReadonlySet<string>>;
}

export type DecisionReason =
  | 'role-grants-access'
  | 'role-does-not-grant-access'
  | 'no-active-situation'
  | 'situation-not-started'
  | 'situation-ended'
  | 'unknown-document-type'
  /** The ANS rejected the person's identity: no access until it is corrected (issue 15). */
  | 'identity-rejected';

export interface Decision {
  allow: boolean;
  reason: DecisionReason;
  /** The situations (EG and role) through which access is granted. */
  through: Array<{ egFiness: string; roleCode: string }>;
}

/**
 * Active on a date: started, and not ended by then. An ended situation was active between its
 * start and end dates, which matters for a question about a past date.
 */
function isActiveOn(s: SituationForDecision, on: string): boolean {
  const live = s.status === 'active' || (s.status === 'ended' && s.endDate !== null);
  return live && s.startDate <= on && (s.endDate === null || s.endDate > on);
}

/**
 * Every active situation counts: two situations with different roles give the union of their
 * rights ("une personne peut avoir plusieurs situations actives", DOMAIN.md).
 */
export function decide(
  situations: readonly SituationForDecision[],
  documentType: string,
  matrix: Matrix,
  on: string,
  knownDocumentTypes: ReadonlySet<string>,
): Decision {
  if (!knownDocumentTypes.has(documentType)) return { allow: false, reason: 'unknown-document-type', through: [] };
  const active = situations.filter((s) => isActiveOn(s, on));
  if (active.length === 0) {
    const live = situations.filter((s) => s.status !== 'deleted');
    const reason: DecisionReason = live.some((s) => s.startDate > on)
      ? 'situation-not-started'
      : situations.some((s) => s.status === 'ended' || (s.endDate !== null && s.endDate <= on))
        ? 'situation-ended'
        : 'no-active-situation';
    return { allow: false, reason, through: [] };
  }
  const through = active
    .filter((s) => matrix.grants.get(s.roleCode)?.has(documentType))
    .map((s) => ({ egFiness: s.egFiness, roleCode: s.roleCode }));
  return through.length > 0
    ? { allow: true, reason: 'role-grants-access', through }
    : { allow: false, reason: 'role-does-not-grant-access', through: [] };
}
