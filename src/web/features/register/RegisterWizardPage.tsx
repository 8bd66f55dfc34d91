import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { ButtonsGroup } from '@codegouvfr/react-dsfr/ButtonsGroup';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Stepper } from '@codegouvfr/react-dsfr/Stepper';
import { Upload } from '@codegouvfr/react-dsfr/Upload';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError, getJson, sendJson, withQuery } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { ConfirmAction } from '../../app/ConfirmAction.tsx';
import { formatParisDateTime, formatPhone } from '../../app/format.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { type CodeList, type ContactForm, type Draft, type DuplicateCandidate, type Establishment, type EtatCivilForm, errorsByField, registerApi, type RegistrationResult, type SituationForm, uploadFile } from './api.ts';
import { CommuneField } from './CommuneField.tsx';
import { useCommuneLabel } from './communeLabel.ts';
import { registerPaths } from './paths.ts';
import { registerTexts } from './texts.ts';
import { CguLink } from '../help/CguPage.tsx';

const t = registerTexts.wizard;
const france = '99100';

const emptyEtatCivil: EtatCivilForm = { civilite: '', sexe: '', birthName: '', usageName: '', firstNames: [''], birthDate: '', birthCountryCode: france, birthCommuneCode: '', birthPlace: '' };
const emptyContact: ContactForm = { email: '', mobile: '' };
const emptySituation: SituationForm = { egFiness: '', professionCode: '', roleCode: '', modeCode: 'S', exerciseLastName: '', exerciseFirstName: '', startDate: '' };

/** Error summary item → its field (`firstNames/1` is the input named `firstName1`). */
function focusField(event: { preventDefault(): void }, key: string) {
  event.preventDefault();
  const name = key.replace(/^firstNames\/(\d+)$/, 'firstName$1').replace(/^firstNames$/, 'firstName0').replace(/^birthCommuneCode$/, 'birthCommune');
  const field = document.querySelector<HTMLElement>(`[name="${name}"]`);
  field?.focus();
  field?.scrollIntoView({ block: 'center' });
}

/** What was typed, kept in this tab's sessionStorage: it survives a new sign-in after the session expired. */
interface Snapshot {
  step: number;
  ec: EtatCivilForm;
  communeLabel: string;
  contact: ContactForm;
  sit: SituationForm;
}
const snapshotKey = (draftId: string | null) => `rpps-plus:register-wizard:${draftId ?? 'new'}`;
function readSnapshot(draftId: string | null): Snapshot | null {
  try {
    const raw = sessionStorage.getItem(snapshotKey(draftId));
    return raw ? (JSON.parse(raw) as Snapshot) : null;
  } catch {
    return null;
  }
}
const forgetSnapshot = (draftId: string | null) => sessionStorage.removeItem(snapshotKey(draftId));

type Outcome = { kind: 'done'; rpps: string; submittedAt: string | null } | { kind: 'duplicates'; exact: boolean; candidates: DuplicateCandidate[] };

/** "Enregistrer un professionnel": the 4-step form of DOMAIN.md, each step checked and saved by the server. */
export function RegisterWizardPage() {
  usePageTitle(t.pageTitle);
  const [params, setParams] = useSearchParams();
  const draftId = params.get('brouillon');
  const [initial] = useState(() => (draftId ? null : readSnapshot(null)));
  const [step, setStep] = useState(initial?.step ?? 0);
  const [ec, setEc] = useState<EtatCivilForm>(initial?.ec ?? emptyEtatCivil);
  const [communeLabel, setCommuneLabel] = useState(initial?.communeLabel ?? '');
  const [contact, setContact] = useState<ContactForm>(initial?.contact ?? emptyContact);
  const [sit, setSit] = useState<SituationForm>(initial?.sit ?? emptySituation);
  const [decl, setDecl] = useState({ accurateAndInformed: false, metInPerson: false });
  const [file, setFile] = useState<File | null>(null);
  const [savedDocument, setSavedDocument] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [warning, setWarning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [early, setEarly] = useState<DuplicateCandidate[] | null>(null);
  const [judged, setJudged] = useState({ notDuplicateOf: [] as string[], outOfScopeAcknowledged: false });
  const navigate = useNavigate();
  const [loaded, setLoaded] = useState<string | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);

  const civilites = useResource<CodeList>('/api/nomenclatures/civilite?selectableOnly=true');
  const sexes = useResource<CodeList>('/api/nomenclatures/sexe?selectableOnly=true');
  const countries = useResource<CodeList>('/api/nomenclatures/country?selectableOnly=true');
  const professions = useResource<CodeList>('/api/nomenclatures/profession?selectableOnly=true');
  const roles = useResource<CodeList>('/api/nomenclatures/role?selectableOnly=true');
  const [draftsVersion, setDraftsVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const openDrafts = useResource<Draft[]>(draftId ? null : `${registerApi}/drafts?v=${draftsVersion}`);
  const [egQuery, setEgQuery] = useState('');
  const establishments = useResource<{ items: Establishment[] }>(step === 2 ? withQuery(`${registerApi}/establishments`, { q: egQuery.trim(), limit: 50 }) : null);

  const [egLabel, setEgLabel] = useState<string | null>(null);
  useEffect(() => {
    const chosen = establishments.status === 'success' ? establishments.data.items.find((x) => x.finess === sit.egFiness) : undefined;
    if (chosen) setEgLabel(`${chosen.name} (${chosen.finess})`);
  }, [establishments, sit.egFiness]);
  // A draft restored past step 3 never loaded the EG list: the EG's name comes from FINESS.
  const savedEg = useResource<{ finess: string; name: string }>(sit.egFiness && egLabel === null && step !== 2 ? `/api/structures/${encodeURIComponent(sit.egFiness)}` : null);
  useEffect(() => {
    if (savedEg.status === 'success' && savedEg.data.finess === sit.egFiness) setEgLabel(`${savedEg.data.name} (${savedEg.data.finess})`);
  }, [savedEg, sit.egFiness]);

  // Resume a draft: the saved steps fill the form, the first incomplete step opens.
  useEffect(() => {
    if (!draftId || loaded === draftId) return;
    void getJson<Draft>(`${registerApi}/drafts/${draftId}`).then(
      (d) => {
        setLoaded(draftId);
        if (d.rpps) return setOutcome({ kind: 'done', rpps: d.rpps, submittedAt: d.submittedAt });
        if (d.etatCivil) {
          setEc({ ...emptyEtatCivil, ...(d.etatCivil as Partial<EtatCivilForm>), usageName: d.etatCivil.usageName ?? '', birthCommuneCode: d.etatCivil.birthCommuneCode ?? '', birthPlace: d.etatCivil.birthPlace ?? '' });
          setCommuneLabel('');
        }
        if (d.contact) setContact({ ...emptyContact, ...d.contact });
        if (d.situation) setSit({ ...emptySituation, ...d.situation });
        if (d.declarations) setDecl({ accurateAndInformed: !!d.declarations.accurateAndInformed, metInPerson: !!d.declarations.metInPerson });
        setSavedDocument(d.identityDocument?.originalName ?? null);
        const steps = ['etat-civil', 'contact', 'situation', 'declarations'];
        const first = steps.findIndex((s) => !d.completedSteps.includes(s) || (s === 'etat-civil' && !d.identityDocument));
        setStep(first === -1 ? 4 : first);
        // Typed but not yet saved when the session ended: the browser kept it.
        const kept = readSnapshot(draftId);
        if (kept) {
          setEc(kept.ec);
          setCommuneLabel(kept.communeLabel);
          setContact(kept.contact);
          setSit(kept.sit);
          setStep(kept.step);
        }
      },
      () => setProblem('Cet enregistrement en cours est introuvable.'),
    );
  }, [draftId, loaded]);

  // A saved commune code is shown by its name ("Toulouse (31)"), asked of the referential when the
  // draft comes back (after a new sign-in, from "Mes brouillons") without it.
  const needsCommuneName = ec.birthCountryCode === france && ec.birthCommuneCode !== '' && (communeLabel === '' || communeLabel.startsWith('INSEE '));
  const savedCommune = useCommuneLabel(needsCommuneName ? ec.birthCommuneCode : null, ec.birthDate);
  useEffect(() => {
    if (savedCommune) setCommuneLabel(savedCommune);
  }, [savedCommune]);

  /** Deletes a draft (after confirmation); the current one leaves an empty form behind. */
  async function abandon(id: string) {
    await sendJson('DELETE', `${registerApi}/drafts/${id}`);
    forgetSnapshot(id);
    if (id === draftId) {
      setEc(emptyEtatCivil);
      setContact(emptyContact);
      setSit(emptySituation);
      setDecl({ accurateAndInformed: false, metInPerson: false });
      setSavedDocument(null);
      setCommuneLabel('');
      setStep(0);
      setLoaded(null);
      setParams({}, { replace: true });
    }
    setDraftsVersion((v) => v + 1);
    setNotice(t.abandon.done);
  }

  // Keep what is typed in this tab (see Snapshot); forgotten once sent or abandoned.
  useEffect(() => {
    if (outcome?.kind === 'done' || (draftId && loaded !== draftId)) return;
    const snapshot: Snapshot = { step, ec, communeLabel, contact, sit };
    sessionStorage.setItem(snapshotKey(draftId), JSON.stringify(snapshot));
  }, [draftId, loaded, outcome, step, ec, communeLabel, contact, sit]);

  function fail(err: unknown) {
    setErrors(errorsByField(err));
    setProblem(err instanceof Error ? err.message : String(err));
    setTimeout(() => summaryRef.current?.focus(), 0);
  }

  /**
   * The draft exists from the first valid save of step 1 on: a step 1 refused by the server
   * deletes the draft it had just created, so failed attempts leave no "Sans nom" drafts.
   */
  async function withDraft<T>(work: (id: string) => Promise<T>): Promise<T> {
    if (draftId) return work(draftId);
    const d = await sendJson<Draft>('POST', `${registerApi}/drafts`);
    try {
      const result = await work(d.id);
      forgetSnapshot(null);
      setLoaded(d.id);
      setParams({ brouillon: d.id }, { replace: true });
      return result;
    } catch (err) {
      await sendJson('DELETE', `${registerApi}/drafts/${d.id}`).catch(() => undefined);
      throw err;
    }
  }

  const trimmedNames = () => ec.firstNames.map((f) => f.trim()).filter((f, i) => f !== '' || i === 0);

  async function saveStep(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    setErrors({});
    try {
      const body = { ...ec, firstNames: trimmedNames(), birthCommuneCode: ec.birthCountryCode === france ? ec.birthCommuneCode : null, birthPlace: ec.birthCountryCode === france ? null : ec.birthPlace };
      const { id, res } = step === 0 ? await withDraft(async (id) => ({ id, res: await sendJson<{ draft: Draft; duplicates: DuplicateCandidate[] }>('PUT', `${registerApi}/drafts/${id}/etat-civil`, body) })) : { id: draftId!, res: null };
      if (step === 0 && res) {
        setWarning(res.duplicates.length > 0);
        // Likely duplicates are a question asked now, not a surprise at the end (issue 17).
        const fresh = res.duplicates.filter((c) => !c.inScope || !judged.notDuplicateOf.includes(c.rpps ?? ''));
        if (fresh.length > 0 && !(fresh.every((c) => !c.inScope) && judged.outOfScopeAcknowledged)) setEarly(res.duplicates);
        if (file) {
          const d = await uploadFile<Draft>(`${registerApi}/drafts/${id}/identity-document`, 'identityDocument', file);
          setSavedDocument(d.identityDocument?.originalName ?? null);
          setFile(null);
        } else if (!savedDocument) {
          setErrors({ identityDocument: t.etatCivil.documentMissing });
          setProblem(t.etatCivil.documentMissing);
          return;
        }
        setSit((s) => ({ ...s, exerciseLastName: s.exerciseLastName || ec.birthName, exerciseFirstName: s.exerciseFirstName || (ec.firstNames[0] ?? '') }));
      } else if (step === 1) {
        await sendJson('PUT', `${registerApi}/drafts/${id}/contact`, contact);
      } else if (step === 2) {
        await sendJson('PUT', `${registerApi}/drafts/${id}/situation`, sit);
      } else if (step === 3) {
        await sendJson('PUT', `${registerApi}/drafts/${id}/declarations`, decl);
      } else {
        await submit(id, judged.notDuplicateOf, judged.outOfScopeAcknowledged);
        return;
      }
      setStep(step + 1);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  async function submit(id: string, notDuplicateOf: string[], outOfScopeAcknowledged = false) {
    try {
      const res = await sendJson<RegistrationResult>('POST', `${registerApi}/drafts/${id}/submit`, { notDuplicateOf, outOfScopeAcknowledged });
      forgetSnapshot(id);
      // The time the server recorded (its clock, shown in Paris time), never the browser's.
      setOutcome({ kind: 'done', rpps: res.rpps, submittedAt: res.registeredAt });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && (err.code === 'duplicate-person' || err.code === 'identity-already-registered')) {
        const candidates = ((err.problem as { candidates?: DuplicateCandidate[] }).candidates ?? []) as DuplicateCandidate[];
        setOutcome({ kind: 'duplicates', exact: err.code === 'identity-already-registered', candidates });
        return;
      }
      throw err;
    }
  }

  /** "It is this person": add a situation, with the identity and situation already typed. */
  const addSituationTo = (rpps: string | null) =>
    navigate(rpps ? `${registerPaths.addSituation}?rpps=${encodeURIComponent(rpps)}` : registerPaths.addSituation, {
      state: { probe: { rpps: rpps ?? '', birthName: ec.birthName, firstName: ec.firstNames[0] ?? '', sexe: ec.sexe, birthDate: ec.birthDate }, situation: sit },
    });
  const labelOfCode = (list: typeof civilites, code: string) => (list.status === 'success' ? (list.data.items.find((i) => i.code === code)?.label ?? code) : code);
  const fullName = [ec.firstNames.filter(Boolean).join(' '), ec.usageName || ec.birthName].filter(Boolean).join(' ');

  if (outcome?.kind === 'done') {
    return (
      <>
        <h1 className="no-print">{t.title}</h1>
        <Alert as="h2" severity="success" title={t.success.title} description={t.success.desc} className={fr.cx('fr-mb-3w')} />
        <section aria-labelledby="receipt-title" className={`${fr.cx('fr-p-3w', 'fr-mb-3w')} rpps-receipt`} style={{ border: '1px solid var(--border-default-grey)' }}>
          <h2 id="receipt-title" className={fr.cx('fr-h4')}>
            {t.success.receiptTitle}
          </h2>
          <dl>
            {fullName && (
              <>
                <dt className={fr.cx('fr-text--bold')}>{t.success.name}</dt>
                <dd data-testid="receipt-name">{fullName}</dd>
              </>
            )}
            <dt className={fr.cx('fr-text--bold')}>{t.success.number}</dt>
            <dd className={fr.cx('fr-text--lg')}>
              <strong data-testid="rpps-number">{outcome.rpps}</strong>
            </dd>
            {sit.egFiness && (
              <>
                <dt className={fr.cx('fr-text--bold')}>{t.success.eg}</dt>
                <dd>{egLabel ?? sit.egFiness}</dd>
              </>
            )}
            {outcome.submittedAt && (
              <>
                <dt className={fr.cx('fr-text--bold')}>{t.success.date}</dt>
                <dd data-testid="receipt-date">{formatParisDateTime(outcome.submittedAt)}</dd>
              </>
            )}
          </dl>
        </section>
        <ButtonsGroup
          className="no-print"
          inlineLayoutWhen="md and up"
          buttons={[
            { children: t.success.open, linkProps: { to: registerPaths.person(outcome.rpps) } },
            { children: t.success.print, priority: 'secondary', iconId: 'fr-icon-printer-line', onClick: () => window.print() },
            { children: t.success.another, priority: 'secondary', linkProps: { to: registerPaths.register, reloadDocument: true } },
          ]}
        />
      </>
    );
  }
  if (early) {
    const inScope = early.filter((c) => c.inScope && c.rpps);
    const outOfScope = early.some((c) => !c.inScope);
    return (
      <>
        <h1>{t.title}</h1>
        <Stepper currentStep={1} stepCount={5} title={t.steps[0]!} nextTitle={t.steps[1]} />
        <section aria-labelledby="early-title" data-testid="early-duplicates">
          <h2 id="early-title" className={fr.cx('fr-h4')} tabIndex={-1} ref={(el) => el?.focus()}>
            {t.duplicates.earlyTitle}
          </h2>
          <p>{t.duplicates.earlyLead}</p>
          {inScope.length > 0 && (
            <ul>
              {inScope.map((c) => (
                <li key={c.rpps}>{t.duplicates.candidate(c.rpps!, [c.exerciseFirstName, c.exerciseLastName].filter(Boolean).join(' '), c.birthYear)}</li>
              ))}
            </ul>
          )}
          {outOfScope && <Alert severity="info" small description={t.duplicates.outOfScope} className={fr.cx('fr-mb-3w')} />}
          <ul className={fr.cx('fr-btns-group')}>
            {inScope.map((c) => (
              <li key={c.rpps}>
                <Button onClick={() => addSituationTo(c.rpps)}>{t.duplicates.isThisPerson(c.rpps!)}</Button>
              </li>
            ))}
            {outOfScope && (
              <li>
                <Button priority="secondary" onClick={() => addSituationTo(null)}>
                  {t.duplicates.addWithNumber}
                </Button>
              </li>
            )}
            <li>
              <Button
                priority="secondary"
                onClick={() => {
                  setJudged({ notDuplicateOf: inScope.map((c) => c.rpps!), outOfScopeAcknowledged: outOfScope });
                  setEarly(null);
                  setWarning(false);
                  setStep(1);
                }}
              >
                {t.duplicates.someoneElse}
              </Button>
            </li>
          </ul>
        </section>
      </>
    );
  }
  if (outcome?.kind === 'duplicates') {
    return (
      <>
        <h1>{t.duplicates.title}</h1>
        <p>{outcome.exact ? t.duplicates.exactLead : t.duplicates.lead}</p>
        <ul data-testid="duplicate-candidates">
          {outcome.candidates.map((c, i) =>
            c.inScope && c.rpps ? <li key={c.rpps}>{t.duplicates.candidate(c.rpps, [c.exerciseFirstName, c.exerciseLastName].filter(Boolean).join(' '), c.birthYear)}</li> : <li key={`out-${i}`}>{t.duplicates.outOfScope}</li>,
          )}
        </ul>
        <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md')}>
          {outcome.candidates
            .filter((c) => c.inScope && c.rpps)
            .slice(0, 3)
            .map((c) => (
              <li key={c.rpps}>
                <Button onClick={() => addSituationTo(c.rpps)}>{`${registerTexts.addSituation.title} (RPPS ${c.rpps})`}</Button>
              </li>
            ))}
          <li>
            <Button priority="secondary" onClick={() => setOutcome(null)}>
              {t.duplicates.back}
            </Button>
          </li>
          {!outcome.exact && draftId && (
            <li>
              <Button priority="tertiary" onClick={() => void submit(draftId, outcome.candidates.flatMap((c) => (c.rpps ? [c.rpps] : [])), outcome.candidates.some((c) => !c.inScope)).catch(fail)}>
                {t.duplicates.notSame}
              </Button>
            </li>
          )}
        </ul>
      </>
    );
  }

  const e = (key: string) => errors[key];
  const state = (key: string) => (errors[key] ? ('error' as const) : ('default' as const));
  const options = (list: typeof civilites) => (list.status === 'success' ? list.data.items : []);

  return (
    <>
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
      {!draftId && openDrafts.status === 'success' && openDrafts.data.length > 0 && (
        <section aria-labelledby="drafts-title" className={fr.cx('fr-mb-4w')}>
          <h2 id="drafts-title" className={fr.cx('fr-h5')}>
            {t.resumeTitle}
          </h2>
          <ul className={fr.cx('fr-raw-list')}>
            {openDrafts.data.map((d) => {
              const label = t.resumeItem([d.etatCivil?.birthName, d.etatCivil?.firstNames?.[0]].filter(Boolean).join(' '), d.updatedAt);
              return (
                <li key={d.id} className={fr.cx('fr-mb-1w')}>
                  <Link to={`${registerPaths.register}?brouillon=${d.id}`}>
                    {t.resume} : {label}
                  </Link>{' '}
                  <ConfirmAction
                    id={`draft-${d.id}`}
                    size="small"
                    priority="tertiary"
                    iconId="fr-icon-delete-line"
                    label={t.abandon.short}
                    srSuffix={label}
                    title={t.abandon.title}
                    consequence={<p>{t.abandon.consequence}</p>}
                    confirmLabel={t.abandon.confirm}
                    onConfirm={() => abandon(d.id)}
                    onDone={() => summaryRef.current?.focus()}
                  />
                </li>
              );
            })}
          </ul>
        </section>
      )}
      <Stepper currentStep={step + 1} stepCount={5} title={t.steps[step]!} nextTitle={t.steps[step + 1]} />
      <div ref={summaryRef} tabIndex={-1} style={{ outline: 'none' }}>
        {notice && !problem && <Alert severity="success" small description={notice} className={fr.cx('fr-mb-3w')} />}
        {problem && (
          <Alert
            as="h2"
            severity="error"
            title={t.errorSummary}
            className={fr.cx('fr-mb-3w')}
            description={
              Object.keys(errors).length > 0 ? (
                <ul>
                  {Object.entries(errors).map(([k, v]) => (
                    <li key={k}>
                      <a href={`#${k}`} onClick={(ev) => focusField(ev, k)}>
                        {v}
                      </a>
                    </li>
                  ))}
                </ul>
              ) : (
                problem
              )
            }
          />
        )}
      </div>
      {warning && step > 0 && <Alert severity="warning" small description={t.duplicates.warning} className={fr.cx('fr-mb-3w')} />}
      <form onSubmit={(ev) => void saveStep(ev)} noValidate>
        {step === 0 && (
          <fieldset className={fr.cx('fr-fieldset')}>
            <legend className={fr.cx('fr-fieldset__legend')}>{t.etatCivil.legend}</legend>
            <div className={fr.cx('fr-fieldset__element')}>
              <Select label={t.etatCivil.civilite} state={state('civilite')} stateRelatedMessage={e('civilite')} nativeSelectProps={{ name: 'civilite', value: ec.civilite, onChange: (v) => setEc({ ...ec, civilite: v.target.value }) }}>
                <option value="">{t.etatCivil.choose}</option>
                {options(civilites).map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.label}
                  </option>
                ))}
              </Select>
              <Select label={t.etatCivil.sexe} state={state('sexe')} stateRelatedMessage={e('sexe')} nativeSelectProps={{ name: 'sexe', value: ec.sexe, onChange: (v) => setEc({ ...ec, sexe: v.target.value }) }}>
                <option value="">{t.etatCivil.choose}</option>
                {options(sexes).map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.label}
                  </option>
                ))}
              </Select>
              <Input label={t.etatCivil.birthName} hintText={t.etatCivil.birthNameHint} state={state('birthName')} stateRelatedMessage={e('birthName')} nativeInputProps={{ name: 'birthName', value: ec.birthName, autoComplete: 'off', onChange: (v) => setEc({ ...ec, birthName: v.target.value }) }} />
              <Input label={t.etatCivil.usageName} state={state('usageName')} stateRelatedMessage={e('usageName')} nativeInputProps={{ name: 'usageName', value: ec.usageName, autoComplete: 'off', onChange: (v) => setEc({ ...ec, usageName: v.target.value }) }} />
              {ec.firstNames.map((f, i) => (
                <Input
                  key={i}
                  label={t.etatCivil.firstName(i)}
                  hintText={i === 0 ? t.etatCivil.firstNamesHint : undefined}
                  state={e(`firstNames/${i}`) || (i === 0 && e('firstNames')) ? 'error' : 'default'}
                  stateRelatedMessage={e(`firstNames/${i}`) ?? (i === 0 ? e('firstNames') : undefined)}
                  nativeInputProps={{ name: `firstName${i}`, value: f, autoComplete: 'off', onChange: (v) => setEc({ ...ec, firstNames: ec.firstNames.map((x, j) => (j === i ? v.target.value : x)) }) }}
                />
              ))}
              <ButtonsGroup
                inlineLayoutWhen="always"
                buttonsSize="small"
                buttons={[
                  { children: t.etatCivil.addFirstName, priority: 'secondary', type: 'button', onClick: () => setEc({ ...ec, firstNames: [...ec.firstNames, ''] }), disabled: ec.firstNames.length >= 10 },
                  ...(ec.firstNames.length > 1
                    ? [{ children: t.etatCivil.removeFirstName(ec.firstNames.length - 1), priority: 'tertiary' as const, type: 'button' as const, onClick: () => setEc({ ...ec, firstNames: ec.firstNames.slice(0, -1) }) }]
                    : []),
                ]}
              />
              <Input label={t.etatCivil.birthDate} state={state('birthDate')} stateRelatedMessage={e('birthDate')} nativeInputProps={{ name: 'birthDate', type: 'date', value: ec.birthDate, onChange: (v) => setEc({ ...ec, birthDate: v.target.value }) }} />
              <Select label={t.etatCivil.birthCountry} state={state('birthCountryCode')} stateRelatedMessage={e('birthCountryCode')} nativeSelectProps={{ name: 'birthCountryCode', value: ec.birthCountryCode, onChange: (v) => setEc({ ...ec, birthCountryCode: v.target.value }) }}>
                {options(countries).length === 0 && <option value={france}>France</option>}
                {options(countries).map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.label}
                  </option>
                ))}
              </Select>
              {ec.birthCountryCode === france ? (
                <CommuneField
                  value={ec.birthCommuneCode}
                  label={communeLabel}
                  birthDate={ec.birthDate}
                  error={e('birthCommuneCode')}
                  onChange={(code, label) => {
                    setEc({ ...ec, birthCommuneCode: code });
                    setCommuneLabel(label);
                  }}
                />
              ) : (
                <Input label={t.etatCivil.birthPlace} state={state('birthPlace')} stateRelatedMessage={e('birthPlace')} nativeInputProps={{ name: 'birthPlace', value: ec.birthPlace, onChange: (v) => setEc({ ...ec, birthPlace: v.target.value }) }} />
              )}
              <Upload
                label={t.etatCivil.document}
                hint={savedDocument ? `${t.etatCivil.documentHint} ${t.etatCivil.documentSaved(savedDocument)}` : t.etatCivil.documentHint}
                state={e('identityDocument') ? 'error' : 'default'}
                stateRelatedMessage={e('identityDocument')}
                nativeInputProps={{ name: 'identityDocument', accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png', onChange: (v) => setFile(v.target.files?.[0] ?? null) }}
              />
            </div>
          </fieldset>
        )}
        {step === 1 && (
          <fieldset className={fr.cx('fr-fieldset')}>
            <legend className={fr.cx('fr-fieldset__legend')}>{t.contact.legend}</legend>
            <div className={fr.cx('fr-fieldset__element')}>
              <Input label={t.contact.email} hintText={t.contact.emailHint} state={state('email')} stateRelatedMessage={e('email')} nativeInputProps={{ name: 'email', type: 'email', autoComplete: 'off', value: contact.email, onChange: (v) => setContact({ ...contact, email: v.target.value }) }} />
              <Input label={t.contact.mobile} hintText={t.contact.mobileHint} state={state('mobile')} stateRelatedMessage={e('mobile')} nativeInputProps={{ name: 'mobile', type: 'tel', autoComplete: 'off', value: contact.mobile, onChange: (v) => setContact({ ...contact, mobile: v.target.value }) }} />
            </div>
          </fieldset>
        )}
        {step === 2 && (
          <fieldset className={fr.cx('fr-fieldset')}>
            <legend className={fr.cx('fr-fieldset__legend')}>{t.situation.legend}</legend>
            <div className={fr.cx('fr-fieldset__element')}>
              <Input label={t.situation.exerciseLastName} hintText={t.situation.exerciseHint} state={state('exerciseLastName')} stateRelatedMessage={e('exerciseLastName')} nativeInputProps={{ name: 'exerciseLastName', value: sit.exerciseLastName, onChange: (v) => setSit({ ...sit, exerciseLastName: v.target.value }) }} />
              <Input label={t.situation.exerciseFirstName} state={state('exerciseFirstName')} stateRelatedMessage={e('exerciseFirstName')} nativeInputProps={{ name: 'exerciseFirstName', value: sit.exerciseFirstName, onChange: (v) => setSit({ ...sit, exerciseFirstName: v.target.value }) }} />
              <Input label={t.situation.egSearch} hintText={t.situation.egSearchHint} nativeInputProps={{ name: 'egSearch', type: 'search', value: egQuery, autoComplete: 'off', onChange: (v) => setEgQuery(v.target.value) }} />
              <Select label={t.situation.eg} state={state('egFiness')} stateRelatedMessage={e('egFiness')} nativeSelectProps={{ name: 'egFiness', value: sit.egFiness, onChange: (v) => setSit({ ...sit, egFiness: v.target.value }) }}>
                <option value="">{establishments.status === 'success' && establishments.data.items.length === 0 ? t.situation.egNone : t.etatCivil.choose}</option>
                {establishments.status === 'success' &&
                  establishments.data.items.map((eg) => (
                    <option key={eg.finess} value={eg.finess}>
                      {t.situation.egOption(eg.finess, eg.name, eg.city)}
                    </option>
                  ))}
                {sit.egFiness && establishments.status === 'success' && !establishments.data.items.some((x) => x.finess === sit.egFiness) && <option value={sit.egFiness}>{sit.egFiness}</option>}
              </Select>
              <Input label={t.situation.startDate} state={state('startDate')} stateRelatedMessage={e('startDate')} nativeInputProps={{ name: 'startDate', type: 'date', value: sit.startDate, onChange: (v) => setSit({ ...sit, startDate: v.target.value }) }} />
              <Select label={t.situation.profession} state={state('professionCode')} stateRelatedMessage={e('professionCode')} nativeSelectProps={{ name: 'professionCode', value: sit.professionCode, onChange: (v) => setSit({ ...sit, professionCode: v.target.value }) }}>
                <option value="">{t.etatCivil.choose}</option>
                {options(professions).map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.label}
                  </option>
                ))}
              </Select>
              <Select label={t.situation.role} hint={t.situation.roleHint} state={state('roleCode')} stateRelatedMessage={e('roleCode')} nativeSelectProps={{ name: 'roleCode', value: sit.roleCode, onChange: (v) => setSit({ ...sit, roleCode: v.target.value }) }}>
                <option value="">{t.etatCivil.choose}</option>
                {options(roles).map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.label}
                  </option>
                ))}
              </Select>
              <RadioButtons
                legend={t.situation.mode}
                hintText={t.situation.modeHint}
                name="modeCode"
                state={state('modeCode')}
                stateRelatedMessage={e('modeCode')}
                options={[{ label: t.situation.salarie, nativeInputProps: { value: 'S', checked: sit.modeCode === 'S', onChange: () => setSit({ ...sit, modeCode: 'S' }) } }]}
              />
            </div>
          </fieldset>
        )}
        {step === 3 && (
          <Checkbox
            legend={t.declarations.legend}
            state={errors.accurateAndInformed || errors.metInPerson ? 'error' : 'default'}
            stateRelatedMessage={errors.accurateAndInformed ?? errors.metInPerson}
            options={[
              { label: t.declarations.accurate, nativeInputProps: { name: 'accurateAndInformed', checked: decl.accurateAndInformed, onChange: (v) => setDecl({ ...decl, accurateAndInformed: v.target.checked }) } },
              { label: t.declarations.metInPerson, nativeInputProps: { name: 'metInPerson', checked: decl.metInPerson, onChange: (v) => setDecl({ ...decl, metInPerson: v.target.checked }) } },
            ]}
          />
        )}
        {step === 3 && (
          <p className={fr.cx('fr-text--sm')}>
            <CguLink />
          </p>
        )}
        {step === 4 && (
          <section aria-labelledby="review-title" data-testid="review">
            <h2 id="review-title" className={fr.cx('fr-h5')}>
              {t.steps[4]}
            </h2>
            <p>{t.review.lead}</p>
            {(
              [
                [0, [
                  [t.etatCivil.civilite, labelOfCode(civilites, ec.civilite)],
                  [t.etatCivil.sexe, labelOfCode(sexes, ec.sexe)],
                  [t.etatCivil.birthName, ec.birthName],
                  [t.etatCivil.usageName, ec.usageName || '—'],
                  [t.etatCivil.firstName(0).replace('Premier prénom', 'Prénoms'), ec.firstNames.filter(Boolean).join(', ')],
                  [t.etatCivil.birthDate, ec.birthDate ? new Date(`${ec.birthDate}T00:00:00`).toLocaleDateString('fr-FR') : '—'],
                  [t.etatCivil.birthCountry, labelOfCode(countries, ec.birthCountryCode)],
                  [t.etatCivil.commune, ec.birthCountryCode === france ? communeLabel || '—' : ec.birthPlace || '—'],
                  [t.review.document, savedDocument ?? '—'],
                ]],
                [1, [
                  [t.contact.email, contact.email],
                  [t.contact.mobile, formatPhone(contact.mobile)],
                ]],
                [2, [
                  [t.situation.exerciseLastName, sit.exerciseLastName],
                  [t.situation.exerciseFirstName, sit.exerciseFirstName],
                  [t.situation.eg, egLabel ?? sit.egFiness],
                  [t.situation.startDate, sit.startDate ? new Date(`${sit.startDate}T00:00:00`).toLocaleDateString('fr-FR') : '—'],
                  [t.situation.profession, labelOfCode(professions, sit.professionCode)],
                  [t.situation.role, labelOfCode(roles, sit.roleCode)],
                  [t.situation.mode, t.situation.salarie],
                ]],
                [3, [[t.declarations.legend, t.review.declared]]],
              ] as Array<[number, Array<[string, string]>]>
            ).map(([i, rows]) => (
              <div key={i} className={fr.cx('fr-mb-3w')}>
                <h3 className={fr.cx('fr-h6', 'fr-mb-1w')}>{t.steps[i]}</h3>
                <dl>
                  {rows.map(([k, v]) => (
                    <div key={k}>
                      <dt className={fr.cx('fr-text--bold')} style={{ display: 'inline' }}>
                        {k} :
                      </dt>{' '}
                      <dd style={{ display: 'inline', margin: 0 }}>{v}</dd>
                    </div>
                  ))}
                </dl>
                <Button type="button" size="small" priority="tertiary" onClick={() => setStep(i)}>
                  {t.review.edit(t.steps[i]!)}
                </Button>
              </div>
            ))}
          </section>
        )}
        <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md', 'fr-mt-3w')}>
          {step > 0 && (
            <li>
              <Button priority="secondary" type="button" onClick={() => setStep(step - 1)}>
                {t.previous}
              </Button>
            </li>
          )}
          <li>
            <Button type="submit" disabled={busy}>
              {busy ? t.saving : step === 4 ? t.submit : t.next}
            </Button>
          </li>
        </ul>
      </form>
      {draftId && (
        <ConfirmAction
          id="abandon"
          priority="tertiary"
          iconId="fr-icon-delete-line"
          label={t.abandon.label}
          title={t.abandon.title}
          consequence={<p>{t.abandon.consequence}</p>}
          confirmLabel={t.abandon.confirm}
          onConfirm={() => abandon(draftId)}
          onDone={() => summaryRef.current?.focus()}
        />
      )}
    </>
  );
}
