import { createHash, randomInt, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit } from '../../audit.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Config } from '../../config.ts';
import { parisDateOf } from '../../calendar.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { FieldError } from '../../errors.ts';
import type { MailService } from '../../mail/service.ts';
import { createOutboxSmsSender, type SmsSender } from '../ecps/sms.ts';
import { codeLabel, communeName } from '../preregistration/queries.ts';
import { RegisterValidationError } from '../register/errors.ts';
import { personIdUsingContact } from '../register/queries.ts';
import { normalizeEmail, normalizeMobile } from '../register/validation.ts';
import { ContactChangeClosedError, ContactChangeNotFoundError, RecordForbiddenError, RecordNotFoundError, WrongCodeError } from './errors.ts';

/** A code lives 15 minutes and survives 5 wrong attempts (then a new one must be asked). */
const codeLifetimeMs = 15 * 60_000;
const maxAttempts = 5;
const hashCode = (id: string, code: string) => createHash('sha256').update(`${id}:${code}`).digest('hex');

export interface MyRecordDeps {
  db: Database;
  clock: Clock;
  config: Pick<Config, 'publicUrl'>;
  mail?: MailService;
  sms?: SmsSender;
}

/**
 * Professional self-service (issue 7): a registered professional, signed in with Pro Santé
 * Connect, reads his record (état civil read-only, situations and the structures that registered
 * him) and changes his e-mail or mobile phone — only once the code sent to the new address or
 * number is typed back.
 */
export function createMyRecordService(deps: MyRecordDeps) {
  const { db, clock } = deps;
  const sms = deps.sms ?? createOutboxSmsSender({ clock });
  const now = () => clock.now();

  /** The person behind a PSC sign-in (IDNPS = "8" + RPPS, OIDC.md), or undefined when no record carries that RPPS number. */
  async function personIfAny(actor: Actor) {
    if (actor.kind !== 'person' || actor.provider !== 'psc' || !actor.idnps || !/^8\d{11}$/.test(actor.idnps)) throw new RecordForbiddenError();
    return db.selectFrom('person').selectAll().where('rpps', '=', actor.idnps.slice(1)).executeTakeFirst();
  }

  /** The person whose record an action changes: none is a 404. */
  async function personOf(actor: Actor) {
    const person = await personIfAny(actor);
    if (!person) throw new RecordNotFoundError();
    return person;
  }

  return {
    /** His record; `{ registered: false }` when none carries his RPPS number (a state, not an error: schemas.ts). */
    async record(actor: Actor) {
      const p = await personIfAny(actor);
      if (!p) return { registered: false as const };
      const commune = p.birthCommuneCode ? await communeName(db, p.birthCommuneCode, p.birthDate) : undefined;
      const situations = await db
        .selectFrom('situation')
        .leftJoin('structure as eg', 'eg.finess', 'situation.egFiness')
        .leftJoin('structure as ej', 'ej.finess', 'eg.ejFiness')
        .select([
          'situation.id',
          'situation.egFiness',
          'eg.name as egName',
          'eg.ejFiness',
          'ej.name as ejName',
          'situation.professionCode',
          'situation.roleCode',
          'situation.exerciseLastName',
          'situation.exerciseFirstName',
          'situation.startDate',
          'situation.endDate',
          'situation.status',
          'situation.createdAt',
        ])
        .where('situation.personId', '=', p.id)
        .where('situation.status', '<>', 'deleted')
        .orderBy('situation.startDate', 'desc')
        .execute();
      const pending = await db
        .selectFrom('contactChange')
        .select(['id', 'kind', 'newValue', 'expiresAt'])
        .where('personId', '=', p.id)
        .where('confirmedAt', 'is', null)
        .where('cancelledAt', 'is', null)
        .where('expiresAt', '>', now())
        .where('attempts', '<', maxAttempts)
        .orderBy('createdAt', 'desc')
        .execute();
      return {
        registered: true as const,
        rpps: p.rpps,
        etatCivil: {
          civilite: p.civilite,
          sexe: p.sexe,
          birthName: p.birthName,
          usageName: p.usageName,
          firstNames: p.firstNames,
          birthDate: p.birthDate,
          birthCountryCode: p.birthCountryCode,
          birthCountry: await codeLabel(db, 'country', p.birthCountryCode),
          birthCommuneCode: p.birthCommuneCode,
          birthPlace: commune ? `${commune.name}${commune.departmentCode ? ` (${commune.departmentCode})` : ''}` : p.birthPlace,
        },
        contact: { email: p.email, mobile: p.mobile },
        situations: situations.map((s) => ({
          id: s.id,
          egFiness: s.egFiness,
          egName: s.egName,
          ejFiness: s.ejFiness,
          ejName: s.ejName,
          professionCode: s.professionCode,
          roleCode: s.roleCode,
          exerciseLastName: s.exerciseLastName,
          exerciseFirstName: s.exerciseFirstName,
          startDate: s.startDate,
          endDate: s.endDate,
          status: s.status,
          registeredOn: parisDateOf(s.createdAt),
        })),
        pendingChanges: pending.map((c) => ({ id: c.id, kind: c.kind, newValue: c.newValue, expiresAt: new Date(c.expiresAt).toISOString() })),
      };
    },

    /** Sends a code to the new address or number; nothing changes on the record yet. */
    async requestChange(actor: Actor, input: { kind: 'email' | 'mobile'; value: string }) {
      const p = await personOf(actor);
      const pointer = '/body/value';
      const errors: FieldError[] = [];
      const value = input.kind === 'email' ? normalizeEmail(input.value ?? '') : normalizeMobile(input.value ?? '');
      if (!value) errors.push({ pointer, detail: input.kind === 'email' ? 'L’adresse électronique n’est pas valide.' : 'Le numéro de téléphone mobile n’est pas valide.' });
      else if (value === p[input.kind]) errors.push({ pointer, detail: 'C’est déjà votre coordonnée actuelle.' });
      else if (await personIdUsingContact(db, input.kind, value, p.id)) errors.push({ pointer, detail: 'Cette coordonnée est déjà utilisée par une autre personne.' });
      if (errors.length > 0) throw new RegisterValidationError(errors);
      const id = randomUUID();
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      await db.transaction().execute(async (trx) => {
        // One pending change per kind: a new request replaces the previous one.
        await trx.updateTable('contactChange').set({ cancelledAt: now() }).where('personId', '=', p.id).where('kind', '=', input.kind).where('confirmedAt', 'is', null).where('cancelledAt', 'is', null).execute();
        await trx
          .insertInto('contactChange')
          .values({ id, personId: p.id, kind: input.kind, newValue: value!, codeHash: hashCode(id, code), expiresAt: new Date(now().getTime() + codeLifetimeMs), createdAt: now() })
          .execute();
        const text = `RPPS+ : votre code de confirmation est ${code}. Il est valable 15 minutes. Si vous n’avez rien demandé, ignorez ce message.`;
        if (input.kind === 'email') {
          await deps.mail?.queueMail(trx, { to: value!, subject: 'RPPS+ : confirmez votre nouvelle adresse électronique', text, html: null }, `contact-change:${id}`);
        } else await sms.send(trx, { to: value!, text }, `contact-change:${id}`);
      });
      return { id, kind: input.kind, newValue: value!, expiresAt: new Date(now().getTime() + codeLifetimeMs).toISOString() };
    },

    /** The code typed back: the record changes, with its version and audit entry, in one transaction. */
    async confirmChange(actor: Actor, id: string, code: string) {
      const p = await personOf(actor);
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new ContactChangeNotFoundError();
      const outcome = await db.transaction().execute(async (trx) => {
        const change = await trx.selectFrom('contactChange').selectAll().where('id', '=', id).where('personId', '=', p.id).forUpdate().executeTakeFirst();
        if (!change) throw new ContactChangeNotFoundError();
        if (change.confirmedAt || change.cancelledAt || new Date(change.expiresAt) <= now() || change.attempts >= maxAttempts) throw new ContactChangeClosedError();
        if (hashCode(id, String(code ?? '').trim()) !== change.codeHash) {
          await trx.updateTable('contactChange').set({ attempts: sql`attempts + 1` }).where('id', '=', id).execute();
          return { wrong: maxAttempts - change.attempts - 1 };
        }
        const before = await trx.selectFrom('person').select(['email', 'mobile', 'version']).where('id', '=', p.id).forUpdate().executeTakeFirstOrThrow();
        const after = await trx
          .updateTable('person')
          .set({ [change.kind]: change.newValue, version: sql`version + 1`, updatedAt: now() })
          .where('id', '=', p.id)
          .returning(['email', 'mobile', 'version'])
          .executeTakeFirstOrThrow();
        await trx.updateTable('contactChange').set({ confirmedAt: now() }).where('id', '=', id).execute();
        const actorId = actor.kind === 'person' ? `account:${actor.accountId}` : 'unknown';
        await trx
          .insertInto('personVersion')
          .values({ personId: p.id, version: after.version, action: `contact.${change.kind}`, actorId, actorKind: 'professional', at: now(), before: JSON.stringify({ [change.kind]: before[change.kind] }), after: JSON.stringify({ [change.kind]: change.newValue }) })
          .execute();
        // The audit trail says what changed, never the values (STYLE.md §13).
        await recordAudit(trx, { at: now(), actor: { id: actorId, kind: 'professional' }, action: `person.contact-change.${change.kind}`, entityType: 'person', entityId: p.id });
        if (change.kind === 'email' && before.email) {
          await deps.mail?.queueMail(
            trx,
            { to: before.email, subject: 'RPPS+ : votre adresse électronique a été modifiée', text: 'L’adresse électronique de votre dossier RPPS vient d’être modifiée. Si vous n’êtes pas à l’origine de ce changement, contactez le gestionnaire RPPS+ de votre structure.', html: null },
            `contact-change-notice:${id}`,
          );
        }
        return { wrong: null, contact: { email: after.email, mobile: after.mobile } };
      });
      if (outcome.wrong !== null) {
        if (outcome.wrong <= 0) throw new ContactChangeClosedError();
        throw new WrongCodeError(outcome.wrong);
      }
      return { contact: outcome.contact! };
    },
  };
}
