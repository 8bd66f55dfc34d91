import type { Selectable } from 'kysely';
import type { SituationTable } from '../../db/schema.ts';

type SituationRow = Selectable<SituationTable>;

/** The published / structure-visible part of a situation: the one place rows become objects. */
export function toSituationView(s: Pick<SituationRow, 'id' | 'egFiness' | 'professionCode' | 'roleCode' | 'modeCode' | 'exerciseLastName' | 'exerciseFirstName' | 'startDate' | 'endDate' | 'endReason' | 'status'>) {
  return {
    id: s.id,
    egFiness: s.egFiness,
    professionCode: s.professionCode,
    roleCode: s.roleCode,
    modeCode: s.modeCode,
    exerciseLastName: s.exerciseLastName,
    exerciseFirstName: s.exerciseFirstName,
    startDate: s.startDate,
    endDate: s.endDate,
    endReason: s.endReason,
    status: s.status,
  };
}

/** Audit values of a situation: its published view without the id (the audit row's entity). */
export const situationAudit = (s: Parameters<typeof toSituationView>[0]) => {
  const { id: _id, ...values } = toSituationView(s);
  return values;
};

/** The payload of a register event about a situation (the directory publication's outbox). */
export const publishedPayload = (rpps: string, s: Parameters<typeof toSituationView>[0]) => ({ rpps, situationId: s.id, ...situationAudit(s) });
