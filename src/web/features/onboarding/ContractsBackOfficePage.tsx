import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useState } from 'react';
import { ApiError, postJson } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { useSession } from '../auth/session.ts';
import { type Contract, errorText, onboardingApi } from './api.ts';
import { SuccessionsBackOffice } from './SuccessionSection.tsx';
import { onboardingTexts } from './texts.ts';

const t = onboardingTexts.backOffice;

/** ANS back office: contracts waiting for a decision (activate, or refuse with a reason). */
export function ContractsBackOfficePage() {
  usePageTitle(t.pageTitle);
  const [version, setVersion] = useState(0);
  const session = useSession();
  // The server decides every action; the page only avoids showing a misleading empty list.
  const isOperator = session.status === 'ready' && session.session.kind === 'person' && session.session.roles.some((r) => r.role === 'operator');
  const list = useResource<Contract[]>(isOperator ? `${onboardingApi.contracts('submitted')}&v=${version}` : null);
  const [message, setMessage] = useState<{ severity: 'success' | 'error'; text: string } | undefined>();
  const [refusing, setRefusing] = useState<string | undefined>();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();

  const act = async (c: Contract, action: 'activate' | 'refuse') => {
    setMessage(undefined);
    try {
      if (action === 'refuse' && !reason.trim()) {
        setReasonError(onboardingTexts.request.required);
        return;
      }
      await postJson(`${onboardingApi.contract(c.id)}/${action}`, action === 'refuse' ? { reason } : undefined);
      const name = c.ejName ?? c.ejFiness;
      setMessage({ severity: 'success', text: action === 'activate' ? t.activated(name) : t.refused(name) });
      setRefusing(undefined);
      setReason('');
      setReasonError(undefined);
      setVersion((v) => v + 1);
    } catch (err) {
      setMessage({ severity: 'error', text: errorText(err) });
    }
  };

  if (session.status === 'ready' && !isOperator) {
    return (
      <>
        <h1>{t.title}</h1>
        <Alert severity="error" small description={t.forbidden} />
      </>
    );
  }
  if (list.status === 'error') {
    const forbidden = list.error instanceof ApiError && [401, 403].includes(list.error.status);
    return (
      <>
        <h1>{t.title}</h1>
        <Alert severity="error" small description={forbidden ? t.forbidden : list.error.message} />
      </>
    );
  }
  return (
    <>
      <h1>{t.title}</h1>
      <div aria-live="polite">{message && <Alert className={fr.cx('fr-mb-3w')} severity={message.severity} small description={message.text} />}</div>
      {list.status !== 'success' ? (
        <p aria-live="polite">{onboardingTexts.loading}</p>
      ) : list.data.length === 0 ? (
        <p>{t.empty}</p>
      ) : (
        <Table
          caption={t.caption}
          headers={[...t.headers]}
          data={list.data.map((c) => [
            <span key="ej">
              {c.ejName ?? '—'}
              <br />
              <span className={fr.cx('fr-text--sm')}>FINESS {c.ejFiness}</span>
            </span>,
            <span key="rl">
              {c.rlGivenName} {c.rlFamilyName}
              <br />
              <span className={fr.cx('fr-text--sm')}>
                {c.rlEmail} · {c.rlPhone}
                {c.rlIdnps ? ` · ${t.rlIdnps} ${c.rlIdnps}` : ''}
              </span>
            </span>,
            c.signedOn ? new Date(`${c.signedOn}T00:00:00`).toLocaleDateString('fr-FR') : '—',
            c.hasSignedContract ? (
              <a key="dl" className={fr.cx('fr-link')} href={`${onboardingApi.contract(c.id)}/signed-contract`} download>
                {t.download}
                <span className={fr.cx('fr-sr-only')}> ({c.ejName ?? c.ejFiness})</span>
              </a>
            ) : (
              '—'
            ),
            refusing === c.id ? (
              <div key="refuse">
                <Input
                  label={t.reason}
                  state={reasonError ? 'error' : 'default'}
                  stateRelatedMessage={reasonError}
                  nativeInputProps={{ value: reason, onChange: (e) => setReason(e.target.value) }}
                />
                <Button size="small" onClick={() => void act(c, 'refuse')}>{t.confirmRefuse}</Button>
              </div>
            ) : (
              <div key="actions" className={fr.cx('fr-btns-group', 'fr-btns-group--sm', 'fr-btns-group--inline')}>
                <Button size="small" onClick={() => void act(c, 'activate')} title={`${t.activate} ${c.ejName ?? c.ejFiness}`}>{t.activate}</Button>
                <Button size="small" priority="secondary" onClick={() => setRefusing(c.id)} title={`${t.refuse} ${c.ejName ?? c.ejFiness}`}>{t.refuse}</Button>
              </div>
            ),
          ])}
        />
      )}
      <SuccessionsBackOffice />
    </>
  );
}
