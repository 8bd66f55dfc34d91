import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useState } from 'react';
import { sendJson } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { paths } from '../../app/routes.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { useSession } from '../auth/session.ts';
import type { EtatCivilView } from '../preregistration/api.ts';
import { EtatCivilCard } from '../preregistration/EtatCivilCard.tsx';
import { formatDate } from '../preregistration/texts.ts';
import { myRecordTexts as t } from './texts.ts';
import { formatPhone } from '../../app/format.ts';

/** GET /api/my-record: the record, or `{ registered: false }` when none carries his RPPS number. */
type MyRecord = Record_ | { registered: false };
interface Record_ {
  registered: true;
  rpps: string;
  etatCivil: EtatCivilView;
  contact: { email: string; mobile: string };
  situations: Array<{ id: string; egFiness: string; egName: string | null; ejName: string | null; startDate: string; endDate: string | null; status: string; registeredOn: string; exerciseFirstName: string; exerciseLastName: string }>;
}

/** The professional's own record (PSC / e-CPS): read-only état civil, contact changes confirmed by a code. */
export function MyRecordPage() {
  usePageTitle(t.pageTitle);
  const [version, setVersion] = useState(0);
  const [changed, setChanged] = useState(false);
  // Only a Pro Santé Connect e-CPS or CPS identity (IDNPS "8" + RPPS) may have a record: nobody
  // else is asked for one (the server would refuse), the page says why at once.
  const session = useSession();
  const person = session.status === 'ready' && session.session.kind === 'person' ? session.session : undefined;
  const eligible = person?.provider === 'psc' && /^8\d{11}$/.test(person.idnps ?? '');
  const resource = useResource<MyRecord>(eligible ? `/api/my-record?v=${version}` : null);
  const record = resource.status === 'success' && !resource.data.registered ? ({ status: 'none' } as const) : resource;
  const done = () => {
    setChanged(true);
    setVersion((v) => v + 1);
  };
  return (
    <>
      <h1>{t.title}</h1>
      {(session.status === 'loading' || record.status === 'loading') && <p aria-live="polite">{t.loading}</p>}
      {session.status === 'ready' && !eligible && <NoRecord detail={person?.provider === 'franceconnect' ? t.none.franceConnect : t.none.noRpps} />}
      {record.status === 'none' && <NoRecord detail={t.none.notRegistered} />}
      {record.status === 'error' && <Alert severity="error" as="h2" title={t.errorTitle} description={record.error.message} />}
      {record.status === 'success' && record.data.registered && (
        <>
          <p className={fr.cx('fr-text--lead')} data-testid="record-rpps">
            {t.rpps(record.data.rpps)}
          </p>
          <EtatCivilCard etatCivil={record.data.etatCivil} title={t.etatCivilTitle} notice={t.etatCivilNotice} />
          <section aria-labelledby="contact-title" className={fr.cx('fr-mb-4w')}>
            <h2 id="contact-title" className={fr.cx('fr-h5')}>
              {t.contactTitle}
            </h2>
            <p className={fr.cx('fr-text--sm')}>{t.contactLead}</p>
            {changed && <Alert severity="success" small description={t.changed} className={fr.cx('fr-mb-2w')} />}
            <ContactChange kind="email" label={t.email} current={record.data.contact.email} newLabel={t.newEmail} onDone={done} />
            <ContactChange kind="mobile" label={t.mobile} current={formatPhone(record.data.contact.mobile)} newLabel={t.newMobile} onDone={done} />
          </section>
          <section aria-labelledby="situations-title">
            <h2 id="situations-title" className={fr.cx('fr-h5')}>
              {t.situationsTitle}
            </h2>
            {record.data.situations.length === 0 && <p>{t.situationsEmpty}</p>}
            <ul>
              {record.data.situations.map((s) => (
                <li key={s.id} className={fr.cx('fr-mb-1w')}>
                  {t.situation(s.egName ?? s.egFiness, s.ejName)} — {t.since(formatDate(s.startDate), s.endDate ? formatDate(s.endDate) : null)} — {t.registeredOn(formatDate(s.registeredOn))}{' '}
                  <Badge small severity={s.status === 'active' ? 'success' : 'info'}>
                    {t.status[s.status] ?? s.status}
                  </Badge>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </>
  );
}

/** No record for this identity: a state, said plainly with what to do (not an error). */
function NoRecord({ detail }: { detail: string }) {
  return (
    <>
      <Alert severity="info" as="h2" title={t.none.title} description={detail} className={fr.cx('fr-mb-3w')} />
      <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md')}>
        <li>
          <Button priority="secondary" linkProps={{ to: paths.mySpace }}>
            {t.none.mySpace}
          </Button>
        </li>
        <li>
          <Button priority="tertiary" linkProps={{ to: paths.helpAudience('professionnel') }}>
            {t.none.help}
          </Button>
        </li>
      </ul>
    </>
  );
}

function ContactChange({ kind, label, current, newLabel, onDone }: { kind: 'email' | 'mobile'; label: string; current: string; newLabel: string; onDone: () => void }) {
  const [value, setValue] = useState('');
  const [pending, setPending] = useState<{ id: string; newValue: string } | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ask = async () => {
    setError(null);
    try {
      setPending(await sendJson<{ id: string; newValue: string }>('POST', '/api/my-record/contact-changes', { kind, value }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const confirm = async () => {
    if (!pending) return;
    setError(null);
    try {
      await sendJson('POST', `/api/my-record/contact-changes/${pending.id}/confirm`, { code });
      setPending(null);
      setValue('');
      setCode('');
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    // An error is told on its field (DSFR error state: aria-describedby, RGAA 11.10).
    <fieldset className={fr.cx('fr-fieldset', 'fr-mb-2w')}>
      <legend className={fr.cx('fr-fieldset__legend')}>
        {label} — <span className={fr.cx('fr-text--regular')}>{t.current(current)}</span>
      </legend>
      {!pending ? (
        <div className={fr.cx('fr-fieldset__element')}>
          <Input label={newLabel} state={error ? 'error' : 'default'} stateRelatedMessage={error ?? undefined} nativeInputProps={{ name: `new-${kind}`, type: kind === 'email' ? 'email' : 'tel', value, onChange: (e) => setValue(e.target.value) }} />
          <Button size="small" priority="secondary" onClick={() => void ask()}>
            {t.sendCode}
          </Button>
        </div>
      ) : (
        <div className={fr.cx('fr-fieldset__element')}>
          <Input label={t.code(pending.newValue)} state={error ? 'error' : 'default'} stateRelatedMessage={error ?? undefined} nativeInputProps={{ name: `code-${kind}`, inputMode: 'numeric', autoComplete: 'one-time-code', value: code, onChange: (e) => setCode(e.target.value) }} />
          <Button size="small" onClick={() => void confirm()}>
            {t.confirm}
          </Button>
        </div>
      )}
    </fieldset>
  );
}
