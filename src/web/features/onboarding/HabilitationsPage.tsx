import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { Table } from '../../app/Table.tsx';
import { Upload } from '@codegouvfr/react-dsfr/Upload';
import { type FormEvent, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { ApiError, type FieldErrors, postJson, sendJson } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { ConfirmAction } from '../../app/ConfirmAction.tsx';
import { fieldStates } from '../../app/fieldStates.ts';
import { ActionMessage } from '../../app/ResourceList.tsx';
import { menuAudience } from '../../app/navigation.ts';
import { RefusedPage } from '../../app/RefusedPage.tsx';
import { useSession } from '../auth/session.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { type Entity, errorText, type Habilitation, onboardingApi, sendForm } from './api.ts';
import { MandatairesSection } from './MandatairesSection.tsx';
import { PersonFields, RevokeAction } from './PersonParts.tsx';
import { SuccessionSection } from './SuccessionSection.tsx';
import { onboardingTexts } from './texts.ts';

const t = onboardingTexts.habilitations;

function EgChoice(props: { entity: Entity; selected: string[]; onChange: (next: string[]) => void; error?: string; legend: string }) {
  const { entity, selected, onChange, error, legend } = props;
  return (
    <Checkbox
      legend={legend}
      state={error ? 'error' : 'default'}
      stateRelatedMessage={error}
      options={entity.establishments
        .filter((e) => e.open)
        .map((e) => ({
          label: `${e.name} (${e.finess})`,
          nativeInputProps: {
            name: 'egFiness',
            value: e.finess,
            checked: selected.includes(e.finess),
            onChange: (ev) => onChange(ev.target.checked ? [...selected, e.finess] : selected.filter((f) => f !== e.finess)),
          },
        }))}
    />
  );
}

/** "Mes habilitations": the gestionnaires of an EJ, add (with the e-learning attestation), edit scope, revoke. */
export function HabilitationsPage() {
  const { ejFiness = '' } = useParams();
  const [version, setVersion] = useState(0);
  // Only its RL or mandataire (or an ANS operator) manages an entity's habilitations: anyone else
  // is told at once, without a request the server would refuse (the server decides anyway).
  const session = useSession();
  const who = menuAudience(session.status === 'ready' ? session.session : undefined);
  const refused = session.status === 'ready' && !who.operator && !who.managed.includes(ejFiness);
  const entity = useResource<Entity>(refused ? null : `${onboardingApi.entity(ejFiness)}?v=${version}`);
  const list = useResource<Habilitation[]>(refused ? null : `${onboardingApi.habilitations(ejFiness)}?v=${version}`);
  usePageTitle(entity.status === 'success' ? t.pageTitle(entity.data.name) : t.title);
  const [message, setMessage] = useState<{ severity: 'success' | 'error'; text: string } | undefined>();
  const [editing, setEditing] = useState<{ id: string; scope: 'ej' | 'eg'; egs: string[] } | undefined>();
  const refresh = () => setVersion((v) => v + 1);
  const messageRef = useRef<HTMLDivElement>(null);
  const focusMessage = () => messageRef.current?.focus();

  if (refused) return <RefusedPage title={t.title} detail={t.forbidden} />;
  if (entity.status === 'error' || list.status === 'error') {
    const error = entity.status === 'error' ? entity.error : list.status === 'error' ? list.error : undefined;
    const forbidden = error instanceof ApiError && [401, 403, 404].includes(error.status);
    return <RefusedPage title={t.title} detail={forbidden ? t.forbidden : (error?.message ?? '')} />;
  }
  if (entity.status !== 'success' || list.status !== 'success') return <p aria-live="polite">{onboardingTexts.loading}</p>;
  const e = entity.data;
  const egName = (f: string) => e.establishments.find((x) => x.finess === f)?.name ?? f;

  const nextStrategy = e.strategy === 'centralized' ? 'decentralized' : 'centralized';
  /** Runs a confirmed action: errors stay in the modal (thrown), success shows above the table. */
  const act = async (work: () => Promise<unknown>, success: string) => {
    setMessage(undefined);
    await work();
    setMessage({ severity: 'success', text: success });
    setEditing(undefined);
    refresh();
  };
  const run = async (work: () => Promise<unknown>, success: string) => {
    setMessage(undefined);
    try {
      await work();
      setMessage({ severity: 'success', text: success });
      setEditing(undefined);
      refresh();
    } catch (err) {
      setMessage({ severity: 'error', text: errorText(err) });
    }
  };

  return (
    <>
      <h1>
        {t.title} — {e.name}
      </h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
      <ActionMessage message={message} ref={messageRef} />

      <section aria-labelledby="strategy-title" className={fr.cx('fr-mb-4w')}>
        <h2 id="strategy-title" className={fr.cx('fr-h4')}>
          {t.strategy}
        </h2>
        <p>{e.strategy ? onboardingTexts.strategies[e.strategy] : '—'}</p>
        {e.can.changeStrategy && e.strategy && (
          <>
            {e.strategy === 'decentralized' && <p className={fr.cx('fr-text--sm')}>{t.strategyWarning}</p>}
            <ConfirmAction
              id="strategy"
              priority="secondary"
              size="small"
              label={t.changeStrategy}
              title={t.strategyTitle(t.strategyNames[nextStrategy]!)}
              consequence={<p>{nextStrategy === 'centralized' ? t.strategyToCentralized : t.strategyToDecentralized}</p>}
              confirmLabel={t.strategyConfirm}
              onConfirm={() => act(() => sendJson('PUT', `${onboardingApi.entity(ejFiness)}/strategy`, { strategy: nextStrategy }), onboardingTexts.strategies[nextStrategy]!)}
              onDone={focusMessage}
            />
          </>
        )}
      </section>

      {list.data.length === 0 ? (
        <p>{t.empty}</p>
      ) : (
        <Table
          caption={t.caption}
          headers={[...t.headers]}
          data={list.data.map((h) => {
            const who = `${h.givenName} ${h.familyName}`;
            return [
              <span key="who">
                {who}
                <br />
                <span className={fr.cx('fr-text--sm')}>{h.idnps}</span>
              </span>,
              editing?.id === h.id ? (
                <div key="edit">
                  {e.strategy === 'decentralized' && (
                    <RadioButtons
                      legend={`${t.scope} — ${who}`}
                      options={(['ej', 'eg'] as const).map((s) => ({
                        label: t.scopes[s],
                        nativeInputProps: { checked: editing.scope === s, onChange: () => setEditing({ ...editing, scope: s }) },
                      }))}
                    />
                  )}
                  {editing.scope === 'eg' && <EgChoice legend={t.establishments} entity={e} selected={editing.egs} onChange={(egs) => setEditing({ ...editing, egs })} />}
                  <div className={fr.cx('fr-btns-group', 'fr-btns-group--sm', 'fr-btns-group--inline')}>
                    <Button size="small" onClick={() => void run(() => sendJson('PATCH', onboardingApi.habilitation(h.id), { scope: editing.scope, egFiness: editing.egs }), t.save)}>
                      {t.save}
                    </Button>
                    <Button size="small" priority="secondary" onClick={() => setEditing(undefined)}>
                      {t.cancel}
                    </Button>
                  </div>
                </div>
              ) : h.scope === 'ej' ? (
                t.wholeEj
              ) : (
                <ul key="egs" className={fr.cx('fr-raw-list')}>
                  {h.egFiness.map((f) => (
                    <li key={f}>{egName(f)}</li>
                  ))}
                </ul>
              ),
              <Badge key="status" severity={h.status === 'active' ? 'success' : 'error'} small noIcon>
                {h.status === 'active' ? t.active : t.revoked}
              </Badge>,
              h.endsOn ? new Date(`${h.endsOn}T00:00:00`).toLocaleDateString('fr-FR') : '—',
              h.status === 'active' && e.can.manageHabilitations ? (
                <div key="actions" className={fr.cx('fr-btns-group', 'fr-btns-group--sm')}>
                  <Button size="small" priority="secondary" onClick={() => setEditing({ id: h.id, scope: h.scope, egs: h.egFiness })}>
                    {t.edit}
                    <span className={fr.cx('fr-sr-only')}> — {who}</span>
                  </Button>
                  <RevokeAction id={`revoke-${h.id}`} who={who} texts={t} onConfirm={() => act(() => postJson(`${onboardingApi.habilitation(h.id)}/revoke`, {}), t.revokedDone)} onDone={focusMessage} />
                </div>
              ) : (
                '—'
              ),
            ];
          })}
        />
      )}

      {e.can.manageHabilitations && <AddHabilitation entity={e} onAdded={() => run(async () => undefined, t.added)} />}
      {e.can.manageHabilitations && <MandatairesSection ejFiness={e.ejFiness} canManage={e.can.manageMandataires} />}
      {e.can.manageHabilitations && <SuccessionSection entity={e.ejFiness} />}
    </>
  );
}

function AddHabilitation({ entity, onAdded }: { entity: Entity; onAdded: () => Promise<void> }) {
  const [credential, setCredential] = useState<'ecps' | 'card'>('ecps');
  const [cardForm, setCardForm] = useState<'F301' | 'F502' | ''>('');
  const [scope, setScope] = useState<'ej' | 'eg'>(entity.strategy === 'decentralized' ? 'eg' : 'ej');
  const [egs, setEgs] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const onSubmit = async (ev: FormEvent<HTMLFormElement>) => {
    ev.preventDefault();
    const formElement = ev.currentTarget;
    const form = new FormData(formElement);
    form.set('credential', credential);
    if (credential === 'card' && cardForm) form.set('cardForm', cardForm);
    form.set('scope', scope);
    form.delete('egFiness');
    if (scope === 'eg') for (const f of egs) form.append('egFiness', f);
    const file = form.get('attestation');
    if (file instanceof File && file.size === 0) form.delete('attestation');
    setBusy(true);
    setFailure(undefined);
    try {
      await sendForm('POST', onboardingApi.habilitations(entity.ejFiness), form);
      setErrors({});
      formElement.reset();
      setEgs([]);
      await onAdded();
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors);
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const field = fieldStates(errors);

  return (
    <section aria-labelledby="add-title" className={fr.cx('fr-mt-6w')}>
      <h2 id="add-title" className={fr.cx('fr-h4')}>
        {t.addTitle}
      </h2>
      {failure && <Alert className={fr.cx('fr-mb-3w')} severity="error" small description={failure} />}
      <form onSubmit={(ev) => void onSubmit(ev)} noValidate>
        <PersonFields field={field} />
        <RadioButtons
          legend={t.credential}
          orientation="horizontal"
          options={(['ecps', 'card'] as const).map((c) => ({ label: t.credentials[c], nativeInputProps: { checked: credential === c, onChange: () => setCredential(c) } }))}
        />
        {credential === 'card' && (
          <>
            <RadioButtons
              legend={t.cardForm}
              {...field('cardForm')}
              options={(['F301', 'F502'] as const).map((c) => ({ label: t.cardForms[c], nativeInputProps: { checked: cardForm === c, onChange: () => setCardForm(c) } }))}
            />
            <Input label={t.cardFormReference} nativeInputProps={{ name: 'cardFormReference', autoComplete: 'off' }} />
          </>
        )}
        <Input label={t.elearning} {...field('elearningCompletedOn')} nativeInputProps={{ name: 'elearningCompletedOn', type: 'date', required: true }} />
        <Upload className={fr.cx('fr-mb-3w')} label={t.attestation} hint={t.attestationHint} {...field('attestation')} nativeInputProps={{ name: 'attestation', accept: 'application/pdf,.pdf', required: true }} />
        {entity.strategy === 'decentralized' && (
          <RadioButtons
            legend={t.scope}
            {...field('scope')}
            options={(['ej', 'eg'] as const).map((s) => ({ label: t.scopes[s], nativeInputProps: { checked: scope === s, onChange: () => setScope(s) } }))}
          />
        )}
        {scope === 'eg' && <EgChoice legend={t.establishments} entity={entity} selected={egs} onChange={setEgs} error={errors.egFiness} />}
        <Input label={t.endsOn} {...field('endsOn')} nativeInputProps={{ name: 'endsOn', type: 'date' }} />
        <Button type="submit" disabled={busy}>
          {t.add}
        </Button>
      </form>
    </section>
  );
}
