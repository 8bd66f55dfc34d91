import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ApiError, sendJson } from '../../api/client.ts';
import { paths } from '../../app/routes.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { ProSanteConnectButton } from '../auth/ProSanteConnectButton.tsx';
import { signInUrl } from '../auth/session.ts';
import { myAccessTexts } from './texts.ts';

const t = myAccessTexts.activation;

/** e-CPS activation: identifier → code by SMS → activated (docs/ecps.md). */
export function EcpsActivationPage() {
  usePageTitle(t.title);
  const [params] = useSearchParams();
  const [idnps, setIdnps] = useState(params.get('identifiant') ?? '');
  const [code, setCode] = useState('');
  const [sentMessage, setSentMessage] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field?: 'idnps' | 'code' } | null>(null);

  const run = async (action: () => Promise<void>, field: 'idnps' | 'code') => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      setError({ message, field: err instanceof ApiError && err.status === 400 ? field : undefined });
    } finally {
      setBusy(false);
    }
  };

  // An empty field is said on the field (DSFR error state), not by the browser's own bubble nor by a refused request.
  const missing = (value: string, field: 'idnps' | 'code') => {
    if (value.trim()) return false;
    setError({ message: field === 'idnps' ? t.idRequired : t.codeRequired, field });
    return true;
  };
  const sendCode = (event: FormEvent) => {
    event.preventDefault();
    if (missing(idnps, 'idnps')) return;
    void run(async () => {
      // The answer is the same whether the identifier exists or not (it says nothing of the phone).
      const sent = await sendJson<{ message: string }>('POST', '/api/ecps/activation/code', { idnps });
      setSentMessage(sent.message);
    }, 'idnps');
  };
  const activate = (event: FormEvent) => {
    event.preventDefault();
    if (missing(code, 'code')) return;
    void run(async () => {
      await sendJson('POST', '/api/ecps/activation', { idnps, code });
      setDone(true);
    }, 'code');
  };

  if (done) {
    return (
      <>
        <h1>{t.title}</h1>
        <Alert as="h2" className={fr.cx('fr-mb-4w')} severity="success" title={t.doneTitle} description={t.done} />
        <ProSanteConnectButton url={signInUrl('psc', paths.myAccess)} />
      </>
    );
  }

  return (
    <>
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
      {error && !error.field && <Alert className={fr.cx('fr-mb-3w')} severity="error" small description={error.message} />}
      <form onSubmit={sendCode} className={fr.cx('fr-mb-4w')} noValidate>
        <Input
          label={t.idLabel}
          hintText={t.idHint}
          state={error?.field === 'idnps' ? 'error' : 'default'}
          stateRelatedMessage={error?.field === 'idnps' ? error.message : undefined}
          nativeInputProps={{ name: 'idnps', value: idnps, onChange: (e) => setIdnps(e.target.value), inputMode: 'numeric', autoComplete: 'username', required: true }}
        />
        <Button type="submit" priority={sentMessage ? 'secondary' : 'primary'} disabled={busy}>
          {t.sendCode}
        </Button>
      </form>
      {sentMessage && (
        <form onSubmit={activate} noValidate>
          <p role="status">{sentMessage}</p>
          <Input
            label={t.codeLabel}
            hintText={t.codeHint}
            state={error?.field === 'code' ? 'error' : 'default'}
            stateRelatedMessage={error?.field === 'code' ? error.message : undefined}
            nativeInputProps={{ name: 'code', value: code, onChange: (e) => setCode(e.target.value), inputMode: 'numeric', autoComplete: 'one-time-code', required: true }}
          />
          <Button type="submit" disabled={busy}>
            {t.confirm}
          </Button>
        </form>
      )}
    </>
  );
}
