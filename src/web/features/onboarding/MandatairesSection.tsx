import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '../../app/Table.tsx';
import { type FormEvent, useRef, useState } from 'react';
import { ApiError, type FieldErrors, postJson, sendJson } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { fieldStates } from '../../app/fieldStates.ts';
import { ActionMessage } from '../../app/ResourceList.tsx';
import { errorText, type Mandataire, onboardingApi } from './api.ts';
import { PersonFields, RevokeAction } from './PersonParts.tsx';
import { onboardingTexts } from './texts.ts';

const t = onboardingTexts.mandataires;

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
  const field = fieldStates(errors);

  return (
    <section aria-labelledby="mandataires-title" className={fr.cx('fr-mt-6w')}>
      <h2 id="mandataires-title" className={fr.cx('fr-h4')}>
        {t.title}
      </h2>
      <ActionMessage message={message} ref={messageRef} />
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
                    <RevokeAction key="revoke" id={`mandate-${m.id}`} who={who} texts={t} onConfirm={() => revoke(m)} onDone={() => messageRef.current?.focus()} />,
                  ]
                : row;
            })}
        />
      )}
      {canManage && (
        <form onSubmit={(ev) => void onSubmit(ev)} noValidate>
          <h3 className={fr.cx('fr-h6')}>{t.addTitle}</h3>
          <PersonFields field={field} />
          <Button type="submit" priority="secondary">
            {t.add}
          </Button>
        </form>
      )}
    </section>
  );
}
