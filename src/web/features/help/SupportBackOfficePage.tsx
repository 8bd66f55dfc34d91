import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { SegmentedControl } from '@codegouvfr/react-dsfr/SegmentedControl';
import { useState } from 'react';
import { ApiError, NetworkError, postJson } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { formatParisDateTime } from '../../app/format.ts';
import { type ActionOutcome, ActionMessage, ResourceList } from '../../app/ResourceList.tsx';
import { RefusedPage } from '../../app/RefusedPage.tsx';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { useOperatorAccess } from '../auth/useOperatorAccess.ts';
import { type SupportRequest, supportApi } from './api.ts';
import { helpTexts } from './texts.ts';

const t = helpTexts.backOffice;

/** ANS back office: the support requests, answered by mail from here. */
export function SupportBackOfficePage() {
  usePageTitle(t.pageTitle);
  const { operator: isOperator, refused } = useOperatorAccess();
  const [status, setStatus] = useState<'open' | 'answered'>('open');
  const [version, setVersion] = useState(0);
  const list = useResource<SupportRequest[]>(isOperator ? `${supportApi.requests(status)}&v=${version}` : null);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<ActionOutcome | undefined>();

  if (refused) {
    return <RefusedPage title={t.title} detail={t.forbidden} />;
  }

  const send = async (r: SupportRequest) => {
    setMessage(undefined);
    try {
      // The time the server recorded (its clock), not the browser's.
      const answered = await postJson<SupportRequest>(supportApi.answer(r.id), { answer: answers[r.id] ?? '' });
      setMessage({ severity: 'success', text: `${answered.reference} : ${t.answeredOn(formatParisDateTime(answered.answeredAt!))}` });
      setVersion((v) => v + 1);
    } catch (err) {
      setMessage({ severity: 'error', text: err instanceof ApiError || err instanceof NetworkError ? err.message : String(err) });
    }
  };

  return (
    <>
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
      <SegmentedControl
        legend={t.filter}
        segments={[
          { label: t.open, nativeInputProps: { checked: status === 'open', onChange: () => setStatus('open') } },
          { label: t.answered, nativeInputProps: { checked: status === 'answered', onChange: () => setStatus('answered') } },
        ]}
      />
      <ActionMessage className={fr.cx('fr-mt-3w')} message={message} />
      <ResourceList resource={list} loading={helpTexts.loading} empty={t.empty}>
        {(items) =>
          items.map((r) => (
            <section key={r.id} className={fr.cx('fr-card', 'fr-p-3w', 'fr-mb-3w')} aria-labelledby={`req-${r.id}`}>
              <h2 id={`req-${r.id}`} className={fr.cx('fr-h5')}>
                {r.reference} — {r.subject}
              </h2>
              <p className={fr.cx('fr-text--sm', 'fr-mb-1w')}>
                {formatParisDateTime(r.createdAt)} · {helpTexts.contact.audiences[r.audience]} · {helpTexts.contact.topics[r.topic]}
                {r.finess ? ` · FINESS ${r.finess}` : ''}
              </p>
              <p className={fr.cx('fr-text--sm')}>
                {t.from} : {r.name} ({r.email})
              </p>
              <p style={{ whiteSpace: 'pre-line' }}>{r.message}</p>
              {r.status === 'answered' ? (
                <Alert severity="info" small title={t.answeredOn(formatParisDateTime(r.answeredAt!))} description={r.answer ?? ''} />
              ) : (
                <>
                  <Input
                    label={t.answer}
                    textArea
                    nativeTextAreaProps={{ value: answers[r.id] ?? '', onChange: (e) => setAnswers({ ...answers, [r.id]: e.target.value }), rows: 5 }}
                  />
                  <Button onClick={() => void send(r)} title={`${t.send} (${r.reference})`}>
                    {t.send}
                  </Button>
                </>
              )}
            </section>
          ))
        }
      </ResourceList>
    </>
  );
}
