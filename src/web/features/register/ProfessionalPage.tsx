import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { type FormEvent, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { sendJson } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { ConfirmAction } from '../../app/ConfirmAction.tsx';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { type CodeList, errorsByField, type Establishment, labelOf, type Professional, registerApi, type SituationView } from './api.ts';
import { useCommuneLabel } from './communeLabel.ts';
import { registerPaths } from './paths.ts';
import { formatDate, registerTexts } from './texts.ts';
import { formatPhone } from '../../app/format.ts';

const t = registerTexts.person;
type Action = 'modify' | 'end' | 'schedule' | 'delete';

/** "Toulouse (31)" in France; abroad, the city typed and the country's name: never a bare code. */
function BirthPlace({ etatCivil: e }: { etatCivil: Professional['etatCivil'] }) {
  const commune = useCommuneLabel(e.birthCommuneCode, e.birthDate);
  const countries = useResource<CodeList>(e.birthCommuneCode ? null : '/api/nomenclatures/country');
  if (e.birthCommuneCode) return <>{commune ?? '…'}</>;
  return <>{[e.birthPlace, labelOf(countries.status === 'success' ? countries.data : undefined, e.birthCountryCode)].filter(Boolean).join(', ')}</>;
}

/** The person page: état civil, contact, situations of the gestionnaire's scope as a timeline, with their actions. */
export function ProfessionalPage() {
  const { rpps = '' } = useParams();
  const [version, setVersion] = useState(0);
  const person = useResource<Professional>(`${registerApi}/professionals/${encodeURIComponent(rpps)}?v=${version}`);
  const professions = useResource<CodeList>('/api/nomenclatures/profession');
  const roles = useResource<CodeList>('/api/nomenclatures/role?selectableOnly=true');
  const egs = useResource<{ items: Establishment[] }>(`${registerApi}/establishments?limit=50`);
  const [done, setDone] = useState(false);
  const doneRef = useRef<HTMLDivElement>(null);
  const name = person.status === 'success' ? `${person.data.etatCivil.firstNames[0] ?? ''} ${person.data.etatCivil.usageName ?? person.data.etatCivil.birthName}` : rpps;
  usePageTitle(person.status === 'error' ? t.pageTitle(t.errorTitle) : person.status === 'success' ? t.pageTitle(name) : t.loading);

  return (
    <>
      <Breadcrumb currentPageLabel={name} segments={[{ label: registerTexts.list.title, linkProps: { to: registerPaths.list } }]} />
      {person.status === 'loading' && <p aria-live="polite">{t.loading}</p>}
      {person.status === 'error' && (
        <>
          <h1>{rpps}</h1>
          <Alert as="h2" severity="error" title={t.errorTitle} description={person.error.message} />
        </>
      )}
      {person.status === 'success' && (
        <>
          <h1>{name}</h1>
          <p>
            RPPS <strong data-testid="person-rpps">{person.data.rpps}</strong>{' '}
            <Badge severity={person.data.identityStatus === 'verified' ? 'success' : person.data.identityStatus === 'rejected' ? 'error' : 'info'} small>
              {t.identityStatus[person.data.identityStatus] ?? person.data.identityStatus}
            </Badge>
          </p>
          <div ref={doneRef} tabIndex={-1} aria-live="polite" style={{ outline: 'none' }}>
            {done && <Alert severity="success" small description={t.done} className={fr.cx('fr-mb-3w')} />}
          </div>
          <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-mb-4w')}>
            <section className={fr.cx('fr-col-12', 'fr-col-md-6')} aria-labelledby="identity-title">
              <h2 id="identity-title" className={fr.cx('fr-h5')}>
                {t.identity}
              </h2>
              <dl>
                <dt className={fr.cx('fr-text--bold')}>{t.labels.birthName}</dt>
                <dd>{person.data.etatCivil.birthName}</dd>
                {person.data.etatCivil.usageName && (
                  <>
                    <dt className={fr.cx('fr-text--bold')}>{t.labels.usageName}</dt>
                    <dd>{person.data.etatCivil.usageName}</dd>
                  </>
                )}
                <dt className={fr.cx('fr-text--bold')}>{t.labels.firstNames}</dt>
                <dd>{person.data.etatCivil.firstNames.join(', ')}</dd>
                <dt className={fr.cx('fr-text--bold')}>{t.labels.birthDate}</dt>
                <dd>{formatDate(person.data.etatCivil.birthDate)}</dd>
                <dt className={fr.cx('fr-text--bold')}>{t.labels.birthPlace}</dt>
                <dd>
                  <BirthPlace etatCivil={person.data.etatCivil} />
                </dd>
              </dl>
            </section>
            <section className={fr.cx('fr-col-12', 'fr-col-md-6')} aria-labelledby="contact-title">
              <h2 id="contact-title" className={fr.cx('fr-h5')}>
                {t.contact}
              </h2>
              <dl>
                <dt className={fr.cx('fr-text--bold')}>{t.labels.email}</dt>
                <dd>{person.data.contact.email ?? t.contactMasked}</dd>
                <dt className={fr.cx('fr-text--bold')}>{t.labels.mobile}</dt>
                <dd>{person.data.contact.mobile ? formatPhone(person.data.contact.mobile) : t.contactMasked}</dd>
              </dl>
            </section>
          </div>
          <section aria-labelledby="timeline-title">
            <h2 id="timeline-title" className={fr.cx('fr-h4')}>
              {t.timeline}
            </h2>
            <ol className={fr.cx('fr-raw-list')}>
              {person.data.situations.map((s) => (
                <SituationItem
                  key={s.id}
                  situation={s}
                  professions={professions.status === 'success' ? professions.data : undefined}
                  roles={roles.status === 'success' ? roles.data : undefined}
                  egs={egs.status === 'success' ? egs.data.items : []}
                  onChanged={() => {
                    setDone(true);
                    setVersion((v) => v + 1);
                  }}
                  onDone={() => doneRef.current?.focus()}
                />
              ))}
            </ol>
          </section>
        </>
      )}
    </>
  );
}

function SituationItem(props: { situation: SituationView; professions?: CodeList; roles?: CodeList; egs: Establishment[]; onChanged: () => void; onDone: () => void }) {
  const s = props.situation;
  const [action, setAction] = useState<Action | null>(null);
  const [form, setForm] = useState({ roleCode: s.roleCode, egFiness: s.egFiness, startDate: s.startDate, endDate: '', reason: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const eg = props.egs.find((e) => e.finess === s.egFiness);
  const titleId = `situation-${s.id}`;

  const situationName = `${labelOf(props.professions, s.professionCode)} — ${eg ? eg.name : s.egFiness}`;
  const confirmations = {
    end: { title: t.endTitle, consequence: t.endConsequence, confirmLabel: t.actions.endConfirm },
    delete: { title: t.deleteTitle, consequence: t.deleteConfirm, confirmLabel: t.actions.deleteConfirm },
  };
  const send = async (a: Action) => {
    const url = `${registerApi}/situations/${s.id}`;
    if (a === 'modify') await sendJson('PATCH', url, { roleCode: form.roleCode, egFiness: form.egFiness, startDate: form.startDate });
    else if (a === 'end') await sendJson('POST', `${url}/end`, { endDate: form.endDate, reason: form.reason });
    else if (a === 'schedule') await sendJson('POST', `${url}/scheduled-end`, { endDate: form.endDate, reason: form.reason });
    else await sendJson('DELETE', url);
  };
  const reset = () => {
    setErrors({});
    setProblem(null);
    setForm((f) => ({ ...f, endDate: '', reason: '' }));
  };

  async function run(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    setProblem(null);
    try {
      await send(action!);
      setAction(null);
      props.onChanged();
      props.onDone();
    } catch (err) {
      setErrors(errorsByField(err));
      setProblem(err instanceof Error ? err.message : String(err));
    }
  }

  /** From a confirmation modal: field errors stay in the modal, next to their field. */
  async function confirmed(a: 'end' | 'delete') {
    setErrors({});
    if (a === 'end') {
      const missing: Record<string, string> = {};
      if (!form.endDate) missing.endDate = t.endDateRequired;
      if (!form.reason) missing.reason = t.reasonRequired;
      if (Object.keys(missing).length > 0) {
        setErrors(missing);
        return false;
      }
    }
    try {
      await send(a);
    } catch (err) {
      const fields = errorsByField(err);
      if (Object.keys(fields).length > 0) {
        setErrors(fields);
        return false;
      }
      throw err;
    }
    props.onChanged();
  }

  const endFields = (a: 'end' | 'schedule') => (
    <>
      <Input label={t.endDate} state={errors.endDate ? 'error' : 'default'} stateRelatedMessage={errors.endDate} nativeInputProps={{ name: `endDate-${a}`, type: 'date', value: form.endDate, onChange: (e) => setForm({ ...form, endDate: e.target.value }) }} />
      <Select label={t.reason} state={errors.reason ? 'error' : 'default'} stateRelatedMessage={errors.reason} nativeSelectProps={{ name: `reason-${a}`, value: form.reason, onChange: (e) => setForm({ ...form, reason: e.target.value }) }}>
        <option value="" disabled>
          {t.chooseReason}
        </option>
        {Object.entries(t.reasons).map(([code, label]) => (
          <option key={code} value={code}>
            {label}
          </option>
        ))}
      </Select>
    </>
  );

  return (
    <li className={fr.cx('fr-mb-3w', 'fr-p-2w')} style={{ borderLeft: '4px solid var(--border-plain-blue-france)' }} aria-labelledby={titleId}>
      <h3 id={titleId} className={fr.cx('fr-h6', 'fr-mb-1v')}>
        {labelOf(props.professions, s.professionCode)} — {eg ? `${eg.name} (${s.egFiness})` : s.egFiness}
      </h3>
      <p className={fr.cx('fr-mb-1v')}>
        {labelOf(props.roles, s.roleCode)} — {s.exerciseFirstName} {s.exerciseLastName}
      </p>
      <p className={fr.cx('fr-mb-1v')}>
        {s.status === 'active' ? t.since(s.startDate) : t.period(s.startDate, s.endDate ?? s.startDate)}{' '}
        <Badge severity={s.status === 'active' ? 'success' : undefined} small noIcon>
          {t.status[s.status] ?? s.status}
        </Badge>
        {s.status === 'active' && s.endDate && ` ${t.endPlanned(s.endDate)}`}
        {s.endReason && ` — ${t.reasons[s.endReason] ?? s.endReason}`}
      </p>
      {s.status === 'active' && action === null && (
        <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-sm', 'fr-btns-group--sm')}>
          {(['modify', 'schedule'] as const).map((a) => (
            <li key={a}>
              <Button priority={a === 'modify' ? 'secondary' : 'tertiary'} size="small" onClick={() => setAction(a)} nativeButtonProps={{ 'aria-describedby': titleId }}>
                {t.actions[a]}
              </Button>
            </li>
          ))}
          {(['end', 'delete'] as const).map((kind) => (
            <li key={kind}>
              <ConfirmAction
                id={`${kind}-${s.id}`}
                size="small"
                priority="tertiary"
                label={t.actions[kind]}
                srSuffix={situationName}
                title={confirmations[kind].title(situationName)}
                consequence={<p>{confirmations[kind].consequence}</p>}
                confirmLabel={confirmations[kind].confirmLabel}
                onConfirm={() => confirmed(kind)}
                onDone={props.onDone}
                onClose={reset}
              >
                {kind === 'end' && endFields('end')}
              </ConfirmAction>
            </li>
          ))}
        </ul>
      )}
      {action && (
        <form onSubmit={(e) => void run(e)} noValidate className={fr.cx('fr-mt-2w')}>
          {problem && <Alert severity="error" small description={problem} className={fr.cx('fr-mb-2w')} />}
          {action === 'modify' && (
            <>
              <Select label={t.role} state={errors.roleCode ? 'error' : 'default'} stateRelatedMessage={errors.roleCode} nativeSelectProps={{ value: form.roleCode, onChange: (e) => setForm({ ...form, roleCode: e.target.value }) }}>
                {(props.roles?.items ?? []).map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.label}
                  </option>
                ))}
              </Select>
              <Select label={t.eg} state={errors.egFiness ? 'error' : 'default'} stateRelatedMessage={errors.egFiness} nativeSelectProps={{ value: form.egFiness, onChange: (e) => setForm({ ...form, egFiness: e.target.value }) }}>
                {props.egs.map((e) => (
                  <option key={e.finess} value={e.finess}>
                    {e.name} ({e.finess})
                  </option>
                ))}
              </Select>
              <Input label={t.startDate} state={errors.startDate ? 'error' : 'default'} stateRelatedMessage={errors.startDate} nativeInputProps={{ type: 'date', value: form.startDate, onChange: (e) => setForm({ ...form, startDate: e.target.value }) }} />
            </>
          )}
          {action === 'schedule' && endFields('schedule')}
          <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-sm', 'fr-btns-group--sm')}>
            <li>
              <Button type="submit" size="small">
                {t.actions.save}
              </Button>
            </li>
            <li>
              <Button type="button" priority="secondary" size="small" onClick={() => setAction(null)}>
                {t.actions.cancel}
              </Button>
            </li>
          </ul>
        </form>
      )}
    </li>
  );
}
