import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Table } from '../../app/Table.tsx';
import { useRef, useState } from 'react';
import { ApiError, postJson } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { ConfirmAction } from '../../app/ConfirmAction.tsx';
import { ActionMessage, type ActionOutcome, ResourceList } from '../../app/ResourceList.tsx';
import { RefusedPage } from '../../app/RefusedPage.tsx';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { useOperatorAccess } from '../auth/useOperatorAccess.ts';
import { type Contract, onboardingApi } from './api.ts';
import { SuccessionsBackOffice } from './SuccessionSection.tsx';
import { onboardingTexts } from './texts.ts';
import { formatPhone } from '../../app/format.ts';

const t = onboardingTexts.backOffice;

/** ANS back office: contracts waiting for a decision (activate, or refuse with a reason). */
export function ContractsBackOfficePage() {
  usePageTitle(t.pageTitle);
  const [version, setVersion] = useState(0);
  const { operator: isOperator, refused } = useOperatorAccess();
  const list = useResource<Contract[]>(isOperator ? `${onboardingApi.contracts('submitted')}&v=${version}` : null);
  const [message, setMessage] = useState<ActionOutcome | undefined>();
  const [refusing, setRefusing] = useState<string | undefined>();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const messageRef = useRef<HTMLDivElement>(null);
  const focusMessage = () => messageRef.current?.focus();
  const nameOf = (c: Contract) => c.ejName ?? c.ejFiness;

  /** A confirmed decision: errors are thrown (the modal shows them), success is announced above the list. */
  const act = async (c: Contract, action: 'activate' | 'refuse' | 'terminate', why?: string) => {
    setMessage(undefined);
    await postJson(`${onboardingApi.contract(c.id)}/${action}`, action === 'activate' ? undefined : { reason: why });
    const text = action === 'activate' ? t.activated(nameOf(c)) : action === 'refuse' ? t.refused(nameOf(c)) : t.terminated(nameOf(c));
    setMessage({ severity: 'success', text });
    setRefusing(undefined);
    setReason('');
    setReasonError(undefined);
    setVersion((v) => v + 1);
  };
  const checkReason = () => {
    if (reason.trim()) return true;
    setReasonError(onboardingTexts.request.required);
    return false;
  };

  if (refused) {
    return <RefusedPage title={t.title} detail={t.forbidden} />;
  }
  if (list.status === 'error') {
    const forbidden = list.error instanceof ApiError && [401, 403].includes(list.error.status);
    return <RefusedPage title={t.title} detail={forbidden ? t.forbidden : list.error.message} />;
  }
  return (
    <>
      <h1>{t.title}</h1>
      <ActionMessage message={message} ref={messageRef} />
      <ResourceList resource={list} loading={onboardingTexts.loading} empty={t.empty}>
        {(items) => (
          <Table
            caption={t.caption}
            headers={[...t.headers]}
            data={items.map((c) => [
              <span key="ej">
                {c.ejName ?? '—'}
                <br />
                <span className={fr.cx('fr-text--sm')}>FINESS {c.ejFiness}</span>
              </span>,
              <span key="rl">
                {c.rlGivenName} {c.rlFamilyName}
                <br />
                <span className={fr.cx('fr-text--sm')}>
                  {c.rlEmail} · {formatPhone(c.rlPhone)}
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
                  <div className={fr.cx('fr-btns-group', 'fr-btns-group--sm', 'fr-btns-group--inline')}>
                    <ConfirmAction
                      id={`refuse-${c.id}`}
                      size="small"
                      label={t.confirmRefuse}
                      srSuffix={nameOf(c)}
                      title={t.refuseTitle(nameOf(c))}
                      consequence={<p>{t.refuseConsequence(reason.trim())}</p>}
                      confirmLabel={t.refuse}
                      onConfirm={() => act(c, 'refuse', reason.trim())}
                      onDone={focusMessage}
                      guard={checkReason}
                    />
                    <Button
                      size="small"
                      priority="secondary"
                      onClick={() => {
                        setRefusing(undefined);
                        setReason('');
                        setReasonError(undefined);
                      }}
                    >
                      {t.cancelRefuse}
                      <span className={fr.cx('fr-sr-only')}> — {nameOf(c)}</span>
                    </Button>
                  </div>
                </div>
              ) : (
                <div key="actions" className={fr.cx('fr-btns-group', 'fr-btns-group--sm', 'fr-btns-group--inline')}>
                  <ConfirmAction
                    id={`activate-${c.id}`}
                    size="small"
                    label={t.activate}
                    srSuffix={nameOf(c)}
                    title={t.activateTitle(nameOf(c))}
                    consequence={<p>{t.activateConsequence}</p>}
                    confirmLabel={t.activate}
                    onConfirm={() => act(c, 'activate')}
                    onDone={focusMessage}
                  />
                  <Button size="small" priority="secondary" onClick={() => setRefusing(c.id)}>
                    {t.refuse}
                    <span className={fr.cx('fr-sr-only')}> — {nameOf(c)}</span>
                  </Button>
                </div>
              ),
            ])}
          />
        )}
      </ResourceList>
      <ActiveContracts version={version} onTerminate={(c, why) => act(c, 'terminate', why)} onDone={focusMessage} />
      <SuccessionsBackOffice />
    </>
  );
}

/** Active contracts, each of which the operator may terminate (with a reason, after confirming). */
function ActiveContracts(props: { version: number; onTerminate: (c: Contract, reason: string) => Promise<void>; onDone: () => void }) {
  const list = useResource<Contract[]>(`${onboardingApi.contracts('active')}&v=${props.version}`);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  if (list.status !== 'success') return null;
  return (
    <section aria-labelledby="active-title" className={fr.cx('fr-mt-6w')}>
      <h2 id="active-title" className={fr.cx('fr-h4')}>
        {t.activeTitle}
      </h2>
      {list.data.length === 0 ? (
        <p>{t.activeEmpty}</p>
      ) : (
        <Table
          caption={t.activeCaption}
          noCaption
          headers={[...t.activeHeaders]}
          data={list.data.map((c) => [
            <span key="ej">
              {c.ejName ?? '—'}
              <br />
              <span className={fr.cx('fr-text--sm')}>FINESS {c.ejFiness}</span>
            </span>,
            `${c.rlGivenName} ${c.rlFamilyName}`,
            c.signedOn ? new Date(`${c.signedOn}T00:00:00`).toLocaleDateString('fr-FR') : '—',
            <ConfirmAction
              key="terminate"
              id={`terminate-${c.id}`}
              size="small"
              priority="secondary"
              label={t.terminate}
              srSuffix={c.ejName ?? c.ejFiness}
              title={t.terminateTitle(c.ejName ?? c.ejFiness)}
              consequence={<p>{t.terminateConsequence}</p>}
              confirmLabel={t.terminate}
              onConfirm={async () => {
                if (!reason.trim()) {
                  setReasonError(onboardingTexts.request.required);
                  return false;
                }
                await props.onTerminate(c, reason.trim());
              }}
              onDone={props.onDone}
              onClose={() => {
                setReason('');
                setReasonError(undefined);
              }}
            >
              <Input
                label={t.terminateReason}
                state={reasonError ? 'error' : 'default'}
                stateRelatedMessage={reasonError}
                nativeInputProps={{ name: 'terminateReason', value: reason, onChange: (e) => setReason(e.target.value) }}
              />
            </ConfirmAction>,
          ])}
        />
      )}
    </section>
  );
}
