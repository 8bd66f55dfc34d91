import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { Table } from '../../app/Table.tsx';
import { useState } from 'react';
import { postJson } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { type ActionOutcome, ActionMessage, ResourceList } from '../../app/ResourceList.tsx';
import { RefusedPage } from '../../app/RefusedPage.tsx';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { useOperatorAccess } from '../auth/useOperatorAccess.ts';
import { errorText } from './api.ts';
import { onboardingTexts, orphanTexts as t } from './texts.ts';

interface Orphan {
  egFiness: string;
  egName: string;
  ejFiness: string | null;
  ejName: string | null;
  activeSituations: number;
  lastContractId: string | null;
  terminatedAt: string | null;
}

const confirmModal = createModal({ id: 'orphan-end-situations', isOpenedByDefault: false });

/** ANS back office: structures left without gestionnaire, and the decision to end their situations. */
export function OrphansPage() {
  usePageTitle(t.pageTitle);
  const { operator: isOperator, refused } = useOperatorAccess();
  const [all, setAll] = useState(false);
  const [version, setVersion] = useState(0);
  const list = useResource<Orphan[]>(isOperator ? `/api/onboarding/orphan-structures?all=${all}&v=${version}` : null);
  const [target, setTarget] = useState<Orphan | undefined>();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [message, setMessage] = useState<ActionOutcome | undefined>();

  if (refused) {
    return <RefusedPage title={t.title} detail={t.forbidden} />;
  }

  const confirm = async () => {
    if (!target) return;
    if (!reason.trim()) {
      setReasonError(onboardingTexts.request.required);
      return;
    }
    try {
      const r = await postJson<{ ended: number }>(`/api/onboarding/orphan-structures/${target.egFiness}/end-situations`, { reason, confirm: true });
      setMessage({ severity: 'success', text: t.done(r.ended, target.egName) });
      setVersion((v) => v + 1);
    } catch (err) {
      setMessage({ severity: 'error', text: errorText(err) });
    }
    confirmModal.close();
  };

  return (
    <>
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
      <Checkbox options={[{ label: t.all, nativeInputProps: { checked: all, onChange: (e) => setAll(e.target.checked) } }]} />
      <ActionMessage message={message} />
      <ResourceList resource={list} loading={onboardingTexts.loading} empty={t.empty}>
        {(items) => (
          <Table
            caption={t.caption}
            headers={[...t.headers]}
            data={items.map((o) => [
              <span key="eg">
                {o.egName}
                <br />
                <span className={fr.cx('fr-text--sm')}>FINESS {o.egFiness}</span>
              </span>,
              o.ejName ? `${o.ejName} (${o.ejFiness})` : (o.ejFiness ?? '—'),
              String(o.activeSituations),
              o.terminatedAt ? new Date(o.terminatedAt).toLocaleDateString('fr-FR') : t.neverContracted,
              <Button
                key="end"
                size="small"
                priority="secondary"
                title={`${t.end} (${o.egName})`}
                onClick={() => {
                  setTarget(o);
                  setReason('');
                  setReasonError(undefined);
                  confirmModal.open();
                }}
              >
                {t.end}
              </Button>,
            ])}
          />
        )}
      </ResourceList>
      <confirmModal.Component
        title={target ? t.modalTitle(target.egName) : t.end}
        buttons={[
          { children: t.cancel, priority: 'secondary' },
          { children: t.confirm, doClosesModal: false, onClick: () => void confirm() },
        ]}
      >
        {target && <p>{t.modalText(target.activeSituations)}</p>}
        <Input label={t.reason} state={reasonError ? 'error' : 'default'} stateRelatedMessage={reasonError} nativeInputProps={{ value: reason, onChange: (e) => setReason(e.target.value) }} />
      </confirmModal.Component>
    </>
  );
}
