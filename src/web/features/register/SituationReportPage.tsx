import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { sendJson } from '../../api/client.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { registerTexts } from './texts.ts';

const t = registerTexts.situationReport;

/**
 * "Ce n'est pas moi": the page of the link mailed to a professional when a new structure adds a
 * situation to his record (docs/register.md). Opening it changes nothing (mail scanners open
 * links); the button files the report for ANS.
 */
export function SituationReportPage() {
  usePageTitle(t.title);
  const { token = '' } = useParams();
  const [state, setState] = useState<'idle' | 'busy' | 'done' | { error: string }>('idle');

  const report = async () => {
    setState('busy');
    try {
      await sendJson('POST', '/api/register/situation-reports', { token });
      setState('done');
    } catch (err) {
      setState({ error: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <div className={fr.cx('fr-col-12', 'fr-col-md-8')}>
      <h1>{t.title}</h1>
      {state === 'done' ? (
        <Alert as="h2" severity="success" title={t.doneTitle} description={t.done} />
      ) : (
        <>
          <p>{t.lead}</p>
          {typeof state === 'object' && <Alert as="h2" severity="error" title={t.errorTitle} description={state.error} className={fr.cx('fr-mb-3w')} />}
          <Button onClick={() => void report()} disabled={state === 'busy'}>
            {t.confirm}
          </Button>
        </>
      )}
    </div>
  );
}
