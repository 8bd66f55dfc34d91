import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { Stepper } from '@codegouvfr/react-dsfr/Stepper';
import { Upload } from '@codegouvfr/react-dsfr/Upload';
import { type FormEvent, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ApiError, getJson, postJson, type FieldErrors } from '../../api/client.ts';
import { paths } from '../../app/routes.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { fieldStates } from '../../app/fieldStates.ts';
import { useSession } from '../auth/session.ts';
import { type Contract, contractRequestFor, errorText, onboardingApi, sendForm } from './api.ts';
import { CguLink } from '../help/CguPage.tsx';
import { onboardingTexts } from './texts.ts';

const t = onboardingTexts.request;

interface Contractable {
  finess: string;
  kind: 'EJ' | 'EG';
  ejFiness: string;
  egFiness: string | null;
  name: string;
  ejName: string | null;
  siret: string | null;
  address: string | null;
  mieCguVersion: string;
}

/**
 * The structure's sign-up wizard: structure (EJ or EG) checked at once against FINESS and the live
 * contracts, MIE terms read → contract details (annex of the ANS contract) → pre-filled PDF to
 * download, sign and upload.
 */
export function ContractRequestPage() {
  usePageTitle(t.pageTitle);
  const session = useSession();
  const [step, setStep] = useState(1);
  // "Demander l'adhésion" on an establishment page (/etablissements/…) comes with its FINESS number.
  const [params] = useSearchParams();
  const asked = (params.get('finess') ?? '').trim().toUpperCase().slice(0, 9);
  const [ej, setEj] = useState(asked);
  const [ejInfo, setEjInfo] = useState<Contractable | undefined>();
  const [ejError, setEjError] = useState<string | undefined>();
  const [mieRead, setMieRead] = useState(false);
  const [annex, setAnnex] = useState({ siret: '', address: '' });
  const [rl, setRl] = useState({ civility: 'M', familyName: '', givenName: '', email: '', phone: '', cardMatricule: '' });
  const [iAmRl, setIAmRl] = useState(false);
  const [signedOn, setSignedOn] = useState('');
  const [file, setFile] = useState<File | undefined>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [contract, setContract] = useState<Contract | undefined>();
  const [busy, setBusy] = useState(false);
  const signedIn = session.status === 'ready' && session.session.kind === 'person';

  // The structure chosen beforehand is checked at once, as if typed: its name shows, or why it cannot contract.
  useEffect(() => {
    if (!asked || !signedIn) return;
    let current = true;
    getJson<Contractable>(`/api/onboarding/contractable/${encodeURIComponent(asked)}`).then(
      (s) => {
        if (!current) return;
        setEjInfo(s);
        setAnnex((a) => ({ siret: a.siret || (s.siret ?? ''), address: a.address || (s.address ?? '') }));
      },
      (err: unknown) => {
        if (current) setEjError(err instanceof ApiError && err.status === 400 ? t.ejUnknown : errorText(err));
      },
    );
    return () => {
      current = false;
    };
  }, [asked, signedIn]);

  if (session.status === 'loading') return <p aria-live="polite">{onboardingTexts.loading}</p>;
  if (session.status !== 'ready' || session.session.kind !== 'person') {
    return (
      <>
        <h1>{t.title}</h1>
        <Alert className={fr.cx('fr-mb-3w')} severity="info" small description={onboardingTexts.signInNeeded} />
        <Button linkProps={{ to: `${paths.signIn}?retour=${encodeURIComponent(asked ? contractRequestFor(asked) : paths.contractRequest)}` }}>{onboardingTexts.signIn}</Button>
      </>
    );
  }
  const person = session.session;

  if (contract?.status === 'submitted') {
    return (
      <>
        <h1>{t.title}</h1>
        <Alert as="h2" severity="success" title={t.sent} description={t.sentDetail} className={fr.cx('fr-mb-3w')} />
        <Button linkProps={{ to: paths.mySpace }}>{onboardingTexts.home.title}</Button>
      </>
    );
  }

  /** Step 1: the server says at once whether this structure may contract (not at the end). */
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
      const s = await getJson<Contractable>(`/api/onboarding/contractable/${encodeURIComponent(finess)}`);
      setEjInfo(s);
      setAnnex((a) => ({ siret: a.siret || (s.siret ?? ''), address: a.address || (s.address ?? '') }));
      return true;
    } catch (err) {
      setEjError(err instanceof ApiError && err.status === 400 ? t.ejUnknown : errorText(err));
      return false;
    }
  };

  const onStep1 = async (e: FormEvent) => {
    e.preventDefault();
    setErrors(mieRead ? {} : { mieCguVersion: t.mieRequired });
    if ((await checkEj()) && mieRead) setStep(2);
  };

  /** Step 2 saves the draft, so that step 3 can offer its pre-filled PDF. */
  const onStep2 = async (e: FormEvent) => {
    e.preventDefault();
    const missing: FieldErrors = {};
    for (const k of ['familyName', 'givenName', 'email', 'phone'] as const) if (!rl[k].trim()) missing[k] = t.required;
    for (const k of ['siret', 'address'] as const) if (!annex[k].trim()) missing[k] = t.required;
    setErrors(missing);
    setFailure(undefined);
    if (Object.keys(missing).length > 0) return;
    if (contract) {
      setStep(3);
      return;
    }
    setBusy(true);
    try {
      setContract(
        await postJson<Contract>(onboardingApi.contracts(), {
          ejFiness: ejInfo?.finess ?? ej,
          rl: { ...rl, cardMatricule: rl.cardMatricule.trim() || null, idnps: iAmRl ? person.idnps : null },
          siret: annex.siret,
          address: annex.address,
          mieCguVersion: ejInfo?.mieCguVersion,
        }),
      );
      setStep(3);
    } catch (err) {
      if (err instanceof ApiError) setErrors(Object.fromEntries(Object.entries(err.fieldErrors).map(([k, v]) => [k.replace(/^rl\//, ''), v])));
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const missing: FieldErrors = {};
    if (!signedOn) missing.signedOn = t.required;
    if (!file) missing.signedContract = t.required;
    setErrors(missing);
    setFailure(undefined);
    if (Object.keys(missing).length > 0 || !contract) return;
    setBusy(true);
    try {
      const form = new FormData();
      form.append('signedContract', file!);
      await sendForm<Contract>('PUT', `${onboardingApi.contract(contract.id)}/signed-contract`, form);
      setContract(await postJson<Contract>(`${onboardingApi.contract(contract.id)}/submit`, { signedOn }));
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors);
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const field = fieldStates(errors);
  const locked = contract !== undefined;

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
            stateRelatedMessage={ejError ?? (ejInfo ? (ejInfo.kind === 'EG' ? t.egFound(ejInfo.name, ejInfo.ejName) : t.ejFound(ejInfo.name)) : undefined)}
            nativeInputProps={{ value: ej, onChange: (e) => setEj(e.target.value), autoComplete: 'off', required: true, maxLength: 9, disabled: locked }}
          />
          <Checkbox
            legend={t.mieLegend}
            {...field('mieCguVersion')}
            options={[{ label: t.mieRead, nativeInputProps: { name: 'mieRead', checked: mieRead, onChange: (e) => setMieRead(e.target.checked) } }]}
          />
          <p className={fr.cx('fr-text--sm')}>
            <CguLink anchor="mie" />
          </p>
          <Button type="submit">{t.next}</Button>
        </form>
      )}

      {step === 2 && (
        <form onSubmit={(e) => void onStep2(e)} noValidate>
          <fieldset className={fr.cx('fr-fieldset')} disabled={locked}>
            <legend className={fr.cx('fr-fieldset__legend')}>{t.organisation}</legend>
            <div className={fr.cx('fr-fieldset__element')}>
              <p>
                {t.raisonSociale} : <strong>{ejInfo?.ejName ?? ejInfo?.name}</strong> (FINESS {ejInfo?.ejFiness})
                {ejInfo?.egFiness && (
                  <>
                    <br />
                    {t.egFound(ejInfo.name, null)}
                  </>
                )}
              </p>
              <Input label={t.siret} hintText={t.siretHint} {...field('siret')} nativeInputProps={{ value: annex.siret, onChange: (e) => setAnnex({ ...annex, siret: e.target.value }), inputMode: 'numeric', autoComplete: 'off', required: true, maxLength: 17 }} />
              <Input label={t.address} {...field('address')} nativeInputProps={{ value: annex.address, onChange: (e) => setAnnex({ ...annex, address: e.target.value }), autoComplete: 'street-address', required: true, maxLength: 500 }} />
            </div>
          </fieldset>
          <fieldset className={fr.cx('fr-fieldset')} disabled={locked}>
            <legend className={fr.cx('fr-fieldset__legend')}>{t.representative}</legend>
            <div className={fr.cx('fr-fieldset__element')}>
              <RadioButtons
                legend={t.civility}
                orientation="horizontal"
                options={(['M', 'MME'] as const).map((c) => ({
                  label: t.civilities[c],
                  nativeInputProps: { checked: rl.civility === c, onChange: () => setRl({ ...rl, civility: c }) },
                }))}
              />
              <Input label={t.familyName} {...field('familyName')} nativeInputProps={{ value: rl.familyName, onChange: (e) => setRl({ ...rl, familyName: e.target.value }), autoComplete: 'family-name', required: true }} />
              <Input label={t.givenName} {...field('givenName')} nativeInputProps={{ value: rl.givenName, onChange: (e) => setRl({ ...rl, givenName: e.target.value }), autoComplete: 'given-name', required: true }} />
              <Input label={t.email} hintText={t.emailHint} {...field('email')} nativeInputProps={{ type: 'email', value: rl.email, onChange: (e) => setRl({ ...rl, email: e.target.value }), autoComplete: 'email', required: true }} />
              <Input label={t.phone} hintText={t.phoneHint} {...field('phone')} nativeInputProps={{ type: 'tel', value: rl.phone, onChange: (e) => setRl({ ...rl, phone: e.target.value }), autoComplete: 'tel', required: true }} />
              <Input label={t.cardMatricule} hintText={t.cardMatriculeHint} {...field('cardMatricule')} nativeInputProps={{ value: rl.cardMatricule, onChange: (e) => setRl({ ...rl, cardMatricule: e.target.value }), autoComplete: 'off', maxLength: 40 }} />
              {person.idnps && (
                <Checkbox
                  options={[{ label: t.iAmRl, nativeInputProps: { checked: iAmRl, onChange: (e) => {
                    setIAmRl(e.target.checked);
                    if (e.target.checked) setRl({ ...rl, familyName: rl.familyName || person.familyName, givenName: rl.givenName || person.givenName });
                  } } }]}
                />
              )}
            </div>
          </fieldset>
          <div className={fr.cx('fr-btns-group', 'fr-btns-group--inline')}>
            {!locked && <Button type="button" priority="secondary" onClick={() => setStep(1)}>{t.previous}</Button>}
            <Button type="submit" disabled={busy}>{t.next}</Button>
          </div>
        </form>
      )}

      {step === 3 && contract && (
        <form onSubmit={(e) => void onSubmit(e)} noValidate>
          <p className={fr.cx('fr-mb-1w')}>
            <a className={fr.cx('fr-link', 'fr-icon-download-line', 'fr-link--icon-left')} href={`${onboardingApi.contract(contract.id)}/form.pdf`} download>
              {t.download}
            </a>
          </p>
          <p className={fr.cx('fr-hint-text', 'fr-mb-3w')}>{t.downloadHint}</p>
          <Input label={t.signedOn} {...field('signedOn')} nativeInputProps={{ type: 'date', value: signedOn, onChange: (e) => setSignedOn(e.target.value), required: true }} />
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
