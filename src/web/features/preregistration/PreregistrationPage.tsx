import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { FranceConnectButton } from '@codegouvfr/react-dsfr/FranceConnectButton';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { useRef, useState } from 'react';
import { sendJson, withQuery } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { ConfirmAction } from '../../app/ConfirmAction.tsx';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { formatPhone } from '../../app/format.ts';
import { signInUrl, useSession } from '../auth/session.ts';
import { type CodeList, errorsByField, type Establishment } from '../register/api.ts';
import { preregistrationApi, preregistrationPaths, type RequestStatus, type RequestView, type EtatCivilView } from './api.ts';
import { CodeSelect } from './CodeSelect.tsx';
import { EtatCivilCard } from './EtatCivilCard.tsx';
import { formatDate, preregistrationTexts } from './texts.ts';
import { CguLink } from '../help/CguPage.tsx';

const t = preregistrationTexts;

const severity: Record<RequestStatus, 'info' | 'success' | 'error' | 'new' | 'warning'> = {
  draft: 'info',
  pending: 'new',
  validated: 'success',
  rejected: 'error',
  withdrawn: 'warning',
};

/** "Je me pré-enregistre": public entry, FranceConnect sign-in, the request form and its status. */
export function PreregistrationPage() {
  usePageTitle(t.entry.pageTitle);
  const session = useSession();
  const franceConnected = session.status === 'ready' && session.session.kind === 'person' && session.session.provider === 'franceconnect';
  return (
    <>
      <h1>{t.entry.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.entry.lead}</p>
      {session.status === 'loading' && <p aria-live="polite">{t.entry.loading}</p>}
      {session.status === 'error' && <Alert as="h2" severity="error" title={t.entry.errorTitle} description="" />}
      {session.status === 'ready' && !franceConnected && (
        <>
          <h2 className={fr.cx('fr-h4')}>{t.entry.howTitle}</h2>
          <ol>
            {t.entry.how.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
          {session.session.kind === 'person' ? (
            <Alert severity="info" small description={t.entry.pscSignedIn} />
          ) : (
            <FranceConnectButton url={signInUrl('franceconnect', preregistrationPaths.entry)} />
          )}
        </>
      )}
      {franceConnected && <MyPreregistration />}
    </>
  );
}

function MyPreregistration() {
  const [version, setVersion] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const messageRef = useRef<HTMLDivElement>(null);
  const me = useResource<{ etatCivil: EtatCivilView; requests: RequestView[] }>(`${preregistrationApi}/me?v=${version}`);
  const [error, setError] = useState<string | null>(null);
  const reload = (note: string | null = null) => {
    setMessage(note);
    setVersion((v) => v + 1);
  };
  if (me.status === 'loading' || me.status === 'idle') return <p aria-live="polite">{t.entry.loading}</p>;
  if (me.status === 'error') return <Alert as="h2" severity="error" title={t.entry.errorTitle} description={me.error.message} />;
  const { etatCivil, requests } = me.data;
  const draft = requests.find((r) => r.status === 'draft');
  const pending = requests.find((r) => r.status === 'pending');
  const start = async () => {
    setError(null);
    try {
      await sendJson('POST', `${preregistrationApi}/requests`, {});
      reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const withdraw = async (id: string) => {
    setError(null);
    await sendJson('POST', `${preregistrationApi}/requests/${id}/withdraw`, {});
    reload(t.requests.withdrawn);
  };
  return (
    <>
      <EtatCivilCard etatCivil={etatCivil} />
      <div ref={messageRef} tabIndex={-1} aria-live="polite" style={{ outline: 'none' }}>
        {message && <Alert severity="success" small description={message} className={fr.cx('fr-mb-3w')} />}
      </div>
      {error && <Alert severity="error" small description={error} className={fr.cx('fr-mb-3w')} />}
      {draft && <RequestForm key={draft.id} request={draft} previous={requests.find((r) => r.status !== 'draft' && r.contact.email)} onSent={() => reload(t.form.sent)} />}
      {pending && <PendingSummary request={pending} />}
      <section aria-labelledby="requests-title" className={fr.cx('fr-mt-4w')}>
        <h2 id="requests-title" className={fr.cx('fr-h5')}>
          {t.requests.title}
        </h2>
        {requests.filter((r) => r.status !== 'draft').length === 0 && <p>{t.requests.empty}</p>}
        <ul className={fr.cx('fr-raw-list')}>
          {requests
            .filter((r) => r.status !== 'draft')
            .map((r) => (
              <li key={r.id} className={fr.cx('fr-mb-2w', 'fr-p-2w')} style={{ border: '1px solid var(--border-default-grey)' }}>
                <p className={fr.cx('fr-mb-1w')}>
                  <Badge severity={severity[r.status]} small>
                    {t.status[r.status]}
                  </Badge>{' '}
                  {t.requests.establishment} : {r.situation.egName ?? r.situation.egFiness}
                </p>
                {r.submittedAt && <p className={fr.cx('fr-text--sm', 'fr-mb-1w')}>{t.requests.sentOn(r.submittedAt)}</p>}
                {r.rpps && <p className={fr.cx('fr-text--bold')}>{t.requests.rpps(r.rpps)}</p>}
                {r.status === 'validated' && r.rpps && (
                  <>
                    <p className={fr.cx('fr-mb-1w')}>{t.requests.ecpsNext}</p>
                    <Button size="small" linkProps={{ to: `/e-cps/activation?identifiant=8${r.rpps}` }}>
                      {t.requests.ecpsActivate}
                    </Button>
                  </>
                )}
                {r.rejectReason && <p>{t.requests.reason(r.rejectReason)}</p>}
                {r.status === 'pending' && (
                  <ConfirmAction
                    id={`withdraw-${r.id}`}
                    priority="secondary"
                    size="small"
                    label={t.requests.withdraw}
                    title={t.requests.withdrawTitle}
                    consequence={<p>{t.requests.withdrawConsequence(r.situation.egName ?? r.situation.egFiness ?? '')}</p>}
                    confirmLabel={t.requests.withdraw}
                    onConfirm={() => withdraw(r.id)}
                    onDone={() => messageRef.current?.focus()}
                  />
                )}
              </li>
            ))}
        </ul>
        {!draft && !pending && <Button onClick={() => void start()}>{t.requests.start}</Button>}
      </section>
    </>
  );
}

/** After sending: what happens next, and what was sent. */
function PendingSummary({ request }: { request: RequestView }) {
  const professions = useResource<CodeList>('/api/nomenclatures/profession');
  const roles = useResource<CodeList>('/api/nomenclatures/role');
  const label = (list: typeof professions, code: string | null) => (code ? (list.status === 'success' ? (list.data.items.find((i) => i.code === code)?.label ?? '—') : '…') : '—');
  return (
    <section aria-labelledby="next-title" className={fr.cx('fr-mt-4w', 'fr-p-3w')} style={{ border: '1px solid var(--border-default-grey)' }} data-testid="pending-summary">
      <h2 id="next-title" className={fr.cx('fr-h5')}>
        {t.pending.title}
      </h2>
      <ol>
        {t.pending.steps(request.situation.egName ?? '').map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      <h3 className={fr.cx('fr-h6')}>{t.pending.sentTitle}</h3>
      <dl>
        {(
          [
            [t.form.eg, request.situation.egName ?? request.situation.egFiness ?? '—'],
            [t.form.profession, label(professions, request.situation.professionCode)],
            [t.form.role, label(roles, request.situation.roleCode)],
            [t.form.startDate, formatDate(request.situation.startDate)],
            [t.form.email, request.contact.email],
            [t.form.mobile, formatPhone(request.contact.mobile)],
          ] as Array<[string, string]>
        ).map(([k, v]) => (
          <div key={k}>
            <dt className={fr.cx('fr-text--bold')} style={{ display: 'inline' }}>
              {k} :
            </dt>{' '}
            <dd style={{ display: 'inline', margin: 0 }}>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function RequestForm({ request, previous, onSent }: { request: RequestView; previous?: RequestView; onSent: () => void }) {
  // A new request after a withdrawn or refused one starts from the contact data already given.
  const [email, setEmail] = useState(request.contact.email || previous?.contact.email || '');
  const [mobile, setMobile] = useState(request.contact.mobile || previous?.contact.mobile || '');
  const [egQuery, setEgQuery] = useState('');
  const [egFiness, setEgFiness] = useState(request.situation.egFiness ?? '');
  const [professionCode, setProfessionCode] = useState(request.situation.professionCode ?? '');
  const [roleCode, setRoleCode] = useState(request.situation.roleCode ?? '');
  const [startDate, setStartDate] = useState(request.situation.startDate ?? '');
  // Default: the birth name and first first name, as FranceConnect gives them (seed 004).
  const [exerciseLastName, setExerciseLastName] = useState(request.situation.exerciseLastName ?? request.etatCivil.birthName);
  const [exerciseFirstName, setExerciseFirstName] = useState(request.situation.exerciseFirstName ?? request.etatCivil.firstNames[0] ?? '');
  const [terms, setTerms] = useState(request.termsAccepted);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const professions = useResource<CodeList>('/api/nomenclatures/profession?selectableOnly=true');
  const roles = useResource<CodeList>('/api/nomenclatures/role?selectableOnly=true');
  const establishments = useResource<{ items: Establishment[] }>(withQuery(`${preregistrationApi}/establishments`, { q: egQuery.trim(), limit: 50 }));
  const egOptions = establishments.status === 'success' ? establishments.data.items : [];
  const body = () => ({ contact: { email, mobile }, situation: { egFiness, professionCode, roleCode, startDate, exerciseLastName, exerciseFirstName }, termsAccepted: terms });
  const e = (key: string) => errors[key];
  const state = (key: string) => (errors[key] ? ('error' as const) : ('default' as const));

  const run = async (submit: boolean) => {
    setErrors({});
    setSummary(null);
    setSaved(false);
    try {
      await sendJson('PUT', `${preregistrationApi}/requests/${request.id}`, body());
      if (submit) {
        await sendJson('POST', `${preregistrationApi}/requests/${request.id}/submit`, {});
        onSent();
      } else setSaved(true);
    } catch (err) {
      setErrors(errorsByField(err));
      setSummary(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <section aria-labelledby="form-title">
      <h2 id="form-title" className={fr.cx('fr-h5')}>
        {t.form.title}
      </h2>
      {summary && <Alert as="h2" severity="error" title={t.form.errorSummary} description={summary} className={fr.cx('fr-mb-3w')} />}
      {saved && <Alert severity="success" small description={t.form.saved} className={fr.cx('fr-mb-3w')} />}
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          void run(true);
        }}
        noValidate
      >
        <fieldset className={fr.cx('fr-fieldset')}>
          <legend className={fr.cx('fr-fieldset__legend')}>{t.form.contactLegend}</legend>
          <div className={fr.cx('fr-fieldset__element')}>
            <Input label={t.form.email} hintText={t.form.emailHint} state={state('contact/email')} stateRelatedMessage={e('contact/email')} nativeInputProps={{ type: 'email', name: 'email', autoComplete: 'email', value: email, onChange: (v) => setEmail(v.target.value) }} />
          </div>
          <div className={fr.cx('fr-fieldset__element')}>
            <Input label={t.form.mobile} hintText={t.form.mobileHint} state={state('contact/mobile')} stateRelatedMessage={e('contact/mobile')} nativeInputProps={{ type: 'tel', name: 'mobile', autoComplete: 'tel', value: mobile, onChange: (v) => setMobile(v.target.value) }} />
          </div>
        </fieldset>
        <fieldset className={fr.cx('fr-fieldset')}>
          <legend className={fr.cx('fr-fieldset__legend')}>{t.form.situationLegend}</legend>
          <div className={fr.cx('fr-fieldset__element')}>
            <Input label={t.form.egSearch} hintText={t.form.egSearchHint} nativeInputProps={{ type: 'search', name: 'egSearch', value: egQuery, onChange: (v) => setEgQuery(v.target.value) }} />
          </div>
          <div className={fr.cx('fr-fieldset__element')}>
            <Select label={t.form.eg} state={state('situation/egFiness')} stateRelatedMessage={e('situation/egFiness')} nativeSelectProps={{ name: 'egFiness', value: egFiness, onChange: (v) => setEgFiness(v.target.value) }}>
              <option value="">{egOptions.length === 0 ? t.form.noEg : t.form.choose}</option>
              {request.situation.egFiness && !egOptions.some((o) => o.finess === request.situation.egFiness) && (
                <option value={request.situation.egFiness}>{request.situation.egName ?? request.situation.egFiness}</option>
              )}
              {egOptions.map((o) => (
                <option key={o.finess} value={o.finess}>
                  {o.name} — {o.finess}
                  {o.city ? ` — ${o.city}` : ''}
                </option>
              ))}
            </Select>
          </div>
          <CodeSelect label={t.form.profession} name="professionCode" value={professionCode} onChange={setProfessionCode} list={professions} error={e('situation/professionCode')} />
          <CodeSelect label={t.form.role} name="roleCode" value={roleCode} onChange={setRoleCode} list={roles} error={e('situation/roleCode')} />
          <div className={fr.cx('fr-fieldset__element')}>
            <Input label={t.form.startDate} state={state('situation/startDate')} stateRelatedMessage={e('situation/startDate')} nativeInputProps={{ type: 'date', name: 'startDate', value: startDate, onChange: (v) => setStartDate(v.target.value) }} />
          </div>
          <div className={fr.cx('fr-fieldset__element')}>
            <Input label={t.form.exerciseLastName} hintText={t.form.exerciseLastNameHint} state={state('situation/exerciseLastName')} stateRelatedMessage={e('situation/exerciseLastName')} nativeInputProps={{ name: 'exerciseLastName', value: exerciseLastName, onChange: (v) => setExerciseLastName(v.target.value) }} />
          </div>
          <div className={fr.cx('fr-fieldset__element')}>
            <Input label={t.form.exerciseFirstName} hintText={t.form.exerciseFirstNameHint} state={state('situation/exerciseFirstName')} stateRelatedMessage={e('situation/exerciseFirstName')} nativeInputProps={{ name: 'exerciseFirstName', value: exerciseFirstName, onChange: (v) => setExerciseFirstName(v.target.value) }} />
          </div>
        </fieldset>
        <Checkbox
          legend={t.form.termsLegend}
          state={errors.termsAccepted ? 'error' : 'default'}
          stateRelatedMessage={errors.termsAccepted}
          options={[{ label: t.form.terms, nativeInputProps: { name: 'termsAccepted', checked: terms, onChange: (v) => setTerms(v.target.checked) } }]}
        />
        <p className={fr.cx('fr-text--sm')}>
          <CguLink />
        </p>
        <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md')}>
          <li>
            <Button type="submit">{t.form.submit}</Button>
          </li>
          <li>
            <Button type="button" priority="secondary" onClick={() => void run(false)}>
              {t.form.save}
            </Button>
          </li>
        </ul>
      </form>
    </section>
  );
}
