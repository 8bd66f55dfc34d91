import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { Table } from '../../app/Table.tsx';
import { type FormEvent, useState } from 'react';
import { mieCguVersion } from '../../../shared/terms.ts';
import { ApiError, type FieldErrors, postJson } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { type ActionOutcome, ActionMessage, ResourceList } from '../../app/ResourceList.tsx';
import { fieldStates } from '../../app/fieldStates.ts';
import { CguLink } from '../help/CguPage.tsx';
import { errorText } from './api.ts';
import { onboardingTexts, successionTexts as t } from './texts.ts';

const r = onboardingTexts.request;

export interface Succession {
  id: string;
  entityFiness: string;
  status: 'pending' | 'approved' | 'refused';
  rlCivility: string;
  rlFamilyName: string;
  rlGivenName: string;
  rlEmail: string;
  rlPhone: string;
  reason: string;
}

/** "Mes habilitations": the RL (or a mandataire, when the RL is gone) designates the next RL. */
export function SuccessionSection(props: { entity: string }) {
  const [version, setVersion] = useState(0);
  const pending = useResource<Succession[]>(`/api/onboarding/successions?status=pending&v=${version}`);
  const [open, setOpen] = useState(false);
  const [rl, setRl] = useState({ civility: 'M', familyName: '', givenName: '', email: '', phone: '', cardMatricule: '' });
  const [reason, setReason] = useState('');
  const [mieRead, setMieRead] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<ActionOutcome | undefined>();
  const mine = pending.status === 'success' ? pending.data.find((s) => s.entityFiness === props.entity) : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing: FieldErrors = {};
    for (const k of ['familyName', 'givenName', 'email', 'phone'] as const) if (!rl[k].trim()) missing[k] = r.required;
    if (!reason.trim()) missing.reason = r.required;
    if (!mieRead) missing.mieCguVersion = r.mieRequired;
    setErrors(missing);
    setMessage(undefined);
    if (Object.keys(missing).length > 0) return;
    try {
      await postJson(`/api/onboarding/entities/${encodeURIComponent(props.entity)}/succession`, { rl: { ...rl, cardMatricule: rl.cardMatricule.trim() || null }, reason, mieCguVersion });
      setMessage({ severity: 'success', text: t.sent });
      setOpen(false);
      setVersion((v) => v + 1);
    } catch (err) {
      if (err instanceof ApiError) setErrors(Object.fromEntries(Object.entries(err.fieldErrors).map(([k, v]) => [k.replace(/^rl\//, ''), v])));
      setMessage({ severity: 'error', text: errorText(err) });
    }
  };
  const field = fieldStates(errors);

  return (
    <section aria-labelledby="succession-title" className={fr.cx('fr-mt-6w')}>
      <h2 id="succession-title">{t.title}</h2>
      <p>{t.lead}</p>
      <ActionMessage message={message} />
      {mine ? (
        <Alert severity="info" small description={t.pending(`${mine.rlGivenName} ${mine.rlFamilyName}`)} />
      ) : !open ? (
        <Button priority="secondary" onClick={() => setOpen(true)}>{t.open}</Button>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <RadioButtons
            legend={r.civility}
            orientation="horizontal"
            options={(['M', 'MME'] as const).map((c) => ({ label: r.civilities[c], nativeInputProps: { checked: rl.civility === c, onChange: () => setRl({ ...rl, civility: c }) } }))}
          />
          <Input label={r.familyName} {...field('familyName')} nativeInputProps={{ value: rl.familyName, onChange: (e) => setRl({ ...rl, familyName: e.target.value }), autoComplete: 'off' }} />
          <Input label={r.givenName} {...field('givenName')} nativeInputProps={{ value: rl.givenName, onChange: (e) => setRl({ ...rl, givenName: e.target.value }), autoComplete: 'off' }} />
          <Input label={r.email} hintText={r.emailHint} {...field('email')} nativeInputProps={{ type: 'email', value: rl.email, onChange: (e) => setRl({ ...rl, email: e.target.value }), autoComplete: 'off' }} />
          <Input label={r.phone} hintText={r.phoneHint} {...field('phone')} nativeInputProps={{ type: 'tel', value: rl.phone, onChange: (e) => setRl({ ...rl, phone: e.target.value }), autoComplete: 'off' }} />
          <Input label={r.cardMatricule} hintText={r.cardMatriculeHint} {...field('cardMatricule')} nativeInputProps={{ value: rl.cardMatricule, onChange: (e) => setRl({ ...rl, cardMatricule: e.target.value }), autoComplete: 'off' }} />
          <Input label={t.reason} hintText={t.reasonHint} {...field('reason')} nativeInputProps={{ value: reason, onChange: (e) => setReason(e.target.value) }} />
          <Checkbox {...field('mieCguVersion')} options={[{ label: t.mieRead, nativeInputProps: { checked: mieRead, onChange: (e) => setMieRead(e.target.checked) } }]} />
          <p className={fr.cx('fr-text--sm')}>
            <CguLink anchor="mie" />
          </p>
          <div className={fr.cx('fr-btns-group', 'fr-btns-group--inline')}>
            <Button type="button" priority="secondary" onClick={() => setOpen(false)}>{r.previous}</Button>
            <Button type="submit">{t.submit}</Button>
          </div>
        </form>
      )}
    </section>
  );
}

/** ANS back office: designations of a new RL waiting for a decision. */
export function SuccessionsBackOffice() {
  const [version, setVersion] = useState(0);
  const list = useResource<Succession[]>(`/api/onboarding/successions?status=pending&v=${version}`);
  const [message, setMessage] = useState<ActionOutcome | undefined>();
  const [refusing, setRefusing] = useState<string | undefined>();
  const [reason, setReason] = useState('');

  const act = async (s: Succession, action: 'approve' | 'refuse') => {
    if (action === 'refuse' && !reason.trim()) return;
    try {
      await postJson(`/api/onboarding/successions/${s.id}/${action}`, action === 'refuse' ? { reason } : undefined);
      setMessage({ severity: 'success', text: action === 'approve' ? t.approved : t.refused });
      setRefusing(undefined);
      setReason('');
      setVersion((v) => v + 1);
    } catch (err) {
      setMessage({ severity: 'error', text: errorText(err) });
    }
  };

  return (
    <section aria-labelledby="successions-title" className={fr.cx('fr-mt-6w')}>
      <h2 id="successions-title">{t.backOfficeTitle}</h2>
      <ActionMessage message={message} />
      <ResourceList resource={list} loading={onboardingTexts.loading} empty={t.empty}>
        {(items) => (
          <Table
            caption={t.caption}
            headers={[...t.headers]}
            data={items.map((s) => [
              `FINESS ${s.entityFiness}`,
              <span key="rl">
                {s.rlGivenName} {s.rlFamilyName}
                <br />
                <span className={fr.cx('fr-text--sm')}>
                  {s.rlEmail} · {s.rlPhone}
                </span>
              </span>,
              s.reason,
              refusing === s.id ? (
                <div key="refuse">
                  <Input label={t.refuseReason} nativeInputProps={{ value: reason, onChange: (e) => setReason(e.target.value) }} />
                  <Button size="small" onClick={() => void act(s, 'refuse')}>{t.confirmRefuse}</Button>
                </div>
              ) : (
                <div key="actions" className={fr.cx('fr-btns-group', 'fr-btns-group--sm', 'fr-btns-group--inline')}>
                  <Button size="small" onClick={() => void act(s, 'approve')} title={`${t.approve} (FINESS ${s.entityFiness})`}>{t.approve}</Button>
                  <Button size="small" priority="secondary" onClick={() => setRefusing(s.id)} title={`${t.refuse} (FINESS ${s.entityFiness})`}>{t.refuse}</Button>
                </div>
              ),
            ])}
          />
        )}
      </ResourceList>
    </section>
  );
}
