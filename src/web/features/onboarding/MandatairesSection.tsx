import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { type FormEvent, useRef, useState } from 'react';
import { ApiError, type FieldErrors, postJson, sendJson } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { ConfirmAction } from '../../app/ConfirmAction.tsx';
import { errorText, onboardingApi } from './api.ts';
import { onboardingTexts } from './texts.ts';

const t = onboardingTexts.mandataires;

interface Mandataire {
  id: string;
  idnps: string;
  familyName: string;
  givenName: string;
  email: string;
  revokedAt: string | null;
}

/** The RL designates mandataires (who then habilitate gestionnaires, themselves included). */
export function MandatairesSection({ ejFiness, canManage }: { ejFiness: string; canManage: boolean }) {
  const [version, setVersion] = useState(0);
  const list = useResource<Mandataire[]>(`${onboardingApi.entity(ejFiness)}/mandataires?v=${version}`);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ severity: 'success' | 'error'; text: string } | undefined>();

  const onSubmit = async (ev: FormEvent<HTMLFormElement>) => {
    ev.preventDefault();
    const formElement = ev.currentTarget;
    const data = Object.fromEntries(new FormData(formElement)) as Record<string, string>;
    setMessage(undefined);
    try {
      await postJson(`${onboardingApi.entity(ejFiness)}/mandataires`, data);
      setErrors({});
      formElement.reset();
      setMessage({ severity: 'success', text: t.added });
      setVersion((v) => v + 1);
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors);
      setMessage({ severity: 'error', text: errorText(err) });
    }
  };
  const messageRef = useRef<HTMLDivElement>(null);
  /** Irreversible: asked first in the confirmation modal, whose error shows there if it fails. */
  const revoke = async (m: Mandataire) => {
    setMessage(undefined);
    try {
      await sendJson('DELETE', `/api/onboarding/mandataires/${m.id}`);
    } catch (err) {
      throw new Error(errorText(err));
    }
    setMessage({ severity: 'success', text: t.revoked });
    setVersion((v) => v + 1);
  };
  const field = (name: string) => ({ state: errors[name] ? ('error' as const) : ('default' as const), stateRelatedMessage: errors[name] });

  return (
    <section aria-labelledby="mandataires-title" className={fr.cx('fr-mt-6w')}>
      <h2 id="mandataires-title" className={fr.cx('fr-h4')}>
        {t.title}
      </h2>
      <div aria-live="polite" ref={messageRef} tabIndex={-1} style={{ outline: 'none' }}>{message && <Alert className={fr.cx('fr-mb-3w')} severity={message.severity} small description={message.text} />}</div>
      {list.status === 'error' ? (
        <Alert severity="error" small description={list.error.message} />
      ) : list.status !== 'success' ? (
        <p>{onboardingTexts.loading}</p>
      ) : list.data.filter((m) => !m.revokedAt).length === 0 ? (
        <p>{t.empty}</p>
      ) : (
        <Table
          caption={t.caption}
          headers={canManage ? [...t.headers, t.actions] : [...t.headers]}
          data={list.data
            .filter((m) => !m.revokedAt)
            .map((m) => {
              const who = `${m.givenName} ${m.familyName}`;
              const row = [who, m.idnps, m.email];
              return canManage
                ? [
                    ...row,
                    <ConfirmAction
                      key="revoke"
                      id={`mandate-${m.id}`}
                      size="small"
                      priority="tertiary"
                      label={t.revoke}
                      srSuffix={who}
                      title={t.revokeTitle(who)}
                      consequence={<p>{t.revokeConsequence}</p>}
                      confirmLabel={t.revoke}
                      onConfirm={() => revoke(m)}
                      onDone={() => messageRef.current?.focus()}
                    />,
                  ]
                : row;
            })}
        />
      )}
      {canManage && (
        <form onSubmit={(ev) => void onSubmit(ev)} noValidate>
          <h3 className={fr.cx('fr-h6')}>{t.addTitle}</h3>
          <Input label={onboardingTexts.habilitations.idnps} hintText={onboardingTexts.habilitations.idnpsHint} {...field('idnps')} nativeInputProps={{ name: 'idnps', autoComplete: 'off', required: true }} />
          <Input label={onboardingTexts.request.familyName} {...field('familyName')} nativeInputProps={{ name: 'familyName', autoComplete: 'off', required: true }} />
          <Input label={onboardingTexts.request.givenName} {...field('givenName')} nativeInputProps={{ name: 'givenName', autoComplete: 'off', required: true }} />
          <Input label={onboardingTexts.request.email} hintText={onboardingTexts.request.emailHint} {...field('email')} nativeInputProps={{ name: 'email', type: 'email', autoComplete: 'off', required: true }} />
          <Button type="submit" priority="secondary">
            {t.add}
          </Button>
        </form>
      )}
    </section>
  );
}
