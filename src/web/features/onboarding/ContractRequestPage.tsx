import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { Stepper } from '@codegouvfr/react-dsfr/Stepper';
import { Upload } from '@codegouvfr/react-dsfr/Upload';
import { type FormEvent, useState } from 'react';
import { ApiError, getJson, postJson, type FieldErrors } from '../../api/client.ts';
import { paths } from '../../app/routes.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { useSession } from '../auth/session.ts';
import { type Contract, errorText, onboardingApi, sendForm } from './api.ts';
import { onboardingTexts } from './texts.ts';

const t = onboardingTexts.request;

interface StructureAnswer {
  finess: string;
  kind: 'EJ' | 'EG';
  name: string;
  status: 'open' | 'closed';
}

/** The structure's sign-up wizard: EJ from FINESS → représentant légal → signed contract. */
export function ContractRequestPage() {
  usePageTitle(t.pageTitle);
  const session = useSession();
  const [step, setStep] = useState(1);
  const [ej, setEj] = useState('');
  const [ejInfo, setEjInfo] = useState<StructureAnswer | undefined>();
  const [ejError, setEjError] = useState<string | undefined>();
  const [rl, setRl] = useState({ civility: 'M', familyName: '', givenName: '', email: '', phone: '' });
  const [iAmRl, setIAmRl] = useState(false);
  const [signedOn, setSignedOn] = useState('');
  const [file, setFile] = useState<File | undefined>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [contract, setContract] = useState<Contract | undefined>();
  const [busy, setBusy] = useState(false);

  if (session.status === 'loading') return <p aria-live="polite">{onboardingTexts.loading}</p>;
  if (session.status !== 'ready' || session.session.kind !== 'person') {
    return (
      <>
        <h1>{t.title}</h1>
        <Alert className={fr.cx('fr-mb-3w')} severity="info" small description={onboardingTexts.signInNeeded} />
        <Button linkProps={{ to: `${paths.signIn}?retour=${encodeURIComponent(paths.contractRequest)}` }}>{onboardingTexts.signIn}</Button>
      </>
    );
  }
  const person = session.session;

  if (contract?.status === 'submitted') {
    return (
      <>
        <h1>{t.title}</h1>
        <Alert severity="success" title={t.sent} description={t.sentDetail} className={fr.cx('fr-mb-3w')} />
        <Button linkProps={{ to: paths.mySpace }}>{onboardingTexts.home.title}</Button>
      </>
    );
  }

  const checkEj = async () => {
    setEjError(undefined);
    setEjInfo(undefined);
    const finess = ej.trim().toUpperCase();
    const fail = (message: string) => {
      setEjError(message);
      return false;
    };
    if (!finess) return fail(t.required);
    try {
      const s = await getJson<StructureAnswer>(`/api/structures/${encodeURIComponent(finess)}`);
      if (s.kind !== 'EJ') return fail(t.ejNotEj);
      if (s.status === 'closed') return fail(t.ejClosed);
      setEjInfo(s);
      return true;
    } catch (err) {
      setEjError(err instanceof ApiError && err.status === 404 ? t.ejUnknown : errorText(err));
      return false;
    }
  };

  const onStep1 = async (e: FormEvent) => {
    e.preventDefault();
    if (await checkEj()) setStep(2);
  };

  const onStep2 = (e: FormEvent) => {
    e.preventDefault();
    const missing: FieldErrors = {};
    for (const k of ['familyName', 'givenName', 'email', 'phone'] as const) if (!rl[k].trim()) missing[k] = t.required;
    setErrors(missing);
    if (Object.keys(missing).length === 0) setStep(3);
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const missing: FieldErrors = {};
    if (!signedOn) missing.signedOn = t.required;
    if (!file) missing.signedContract = t.required;
    setErrors(missing);
    setFailure(undefined);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    try {
      let current = contract;
      current ??= await postJson<Contract>(onboardingApi.contracts(), {
        ejFiness: ejInfo?.finess ?? ej,
        rl: { ...rl, idnps: iAmRl ? person.idnps : null },
        signedOn,
      });
      setContract(current);
      const form = new FormData();
      form.append('signedContract', file!);
      await sendForm<Contract>('PUT', `${onboardingApi.contract(current.id)}/signed-contract`, form);
      setContract(await postJson<Contract>(`${onboardingApi.contract(current.id)}/submit`, { signedOn }));
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors);
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
      <Stepper currentStep={step} stepCount={3} title={t.steps[step - 1]!} nextTitle={t.steps[step]} />
      {failure && <Alert className={fr.cx('fr-mb-3w')} severity="error" small description={failure} />}

      {step === 1 && (
        <form onSubmit={(e) => void onStep1(e)} noValidate>
          <Input
            label={t.ejLabel}
            hintText={t.ejHint}
            state={ejError ? 'error' : ejInfo ? 'success' : 'default'}
            stateRelatedMessage={ejError ?? (ejInfo ? t.ejFound(ejInfo.name) : undefined)}
            nativeInputProps={{ value: ej, onChange: (e) => setEj(e.target.value), autoComplete: 'off', required: true, maxLength: 9 }}
          />
          <Button type="submit">{t.next}</Button>
        </form>
      )}

      {step === 2 && (
        <form onSubmit={onStep2} noValidate>
          <p>{ejInfo && t.ejFound(ejInfo.name)}</p>
          <RadioButtons
            legend={t.civility}
            orientation="horizontal"
            options={(['M', 'MME'] as const).map((c) => ({
              label: t.civilities[c],
              nativeInputProps: { checked: rl.civility === c, onChange: () => setRl({ ...rl, civility: c }) },
            }))}
          />
          <Input label={t.familyName} state={errors.familyName ? 'error' : 'default'} stateRelatedMessage={errors.familyName} nativeInputProps={{ value: rl.familyName, onChange: (e) => setRl({ ...rl, familyName: e.target.value }), autoComplete: 'family-name', required: true }} />
          <Input label={t.givenName} state={errors.givenName ? 'error' : 'default'} stateRelatedMessage={errors.givenName} nativeInputProps={{ value: rl.givenName, onChange: (e) => setRl({ ...rl, givenName: e.target.value }), autoComplete: 'given-name', required: true }} />
          <Input label={t.email} hintText={t.emailHint} state={errors.email ? 'error' : 'default'} stateRelatedMessage={errors.email} nativeInputProps={{ type: 'email', value: rl.email, onChange: (e) => setRl({ ...rl, email: e.target.value }), autoComplete: 'email', required: true }} />
          <Input label={t.phone} hintText={t.phoneHint} state={errors.phone ? 'error' : 'default'} stateRelatedMessage={errors.phone} nativeInputProps={{ type: 'tel', value: rl.phone, onChange: (e) => setRl({ ...rl, phone: e.target.value }), autoComplete: 'tel', required: true }} />
          {person.idnps && (
            <Checkbox
              options={[{ label: t.iAmRl, nativeInputProps: { checked: iAmRl, onChange: (e) => {
                setIAmRl(e.target.checked);
                if (e.target.checked) setRl({ ...rl, familyName: rl.familyName || person.familyName, givenName: rl.givenName || person.givenName });
              } } }]}
            />
          )}
          <div className={fr.cx('fr-btns-group', 'fr-btns-group--inline')}>
            <Button type="button" priority="secondary" onClick={() => setStep(1)}>{t.previous}</Button>
            <Button type="submit">{t.next}</Button>
          </div>
        </form>
      )}

      {step === 3 && (
        <form onSubmit={(e) => void onSubmit(e)} noValidate>
          <Input label={t.signedOn} state={errors.signedOn ? 'error' : 'default'} stateRelatedMessage={errors.signedOn} nativeInputProps={{ type: 'date', value: signedOn, onChange: (e) => setSignedOn(e.target.value), required: true }} />
          <Upload
            className={fr.cx('fr-mb-3w')}
            label={t.file}
            hint={t.fileHint}
            state={errors.signedContract ? 'error' : 'default'}
            stateRelatedMessage={errors.signedContract}
            nativeInputProps={{ accept: 'application/pdf,.pdf', name: 'signedContract', onChange: (e) => setFile(e.target.files?.[0]) }}
          />
          <div className={fr.cx('fr-btns-group', 'fr-btns-group--inline')}>
            <Button type="button" priority="secondary" onClick={() => setStep(2)}>{t.previous}</Button>
            <Button type="submit" disabled={busy}>{t.submit}</Button>
          </div>
        </form>
      )}
    </>
  );
}
