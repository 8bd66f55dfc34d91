import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { sendJson } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { type CodeList, errorsByField } from '../register/api.ts';
import { preregistrationApi, preregistrationPaths, type RequestDetail } from './api.ts';
import { CodeSelect } from './CodeSelect.tsx';
import { EtatCivilCard } from './EtatCivilCard.tsx';
import { refreshPendingCount } from './usePreregistrationNavigation.ts';
import { preregistrationTexts } from './texts.ts';
import { CguLink } from '../help/CguPage.tsx';
import { formatPhone } from '../../app/format.ts';

const t = preregistrationTexts.decision;

/** One pending request: identity checked face to face, situation corrected, then validate or reject. */
export function DecisionPage() {
  usePageTitle(t.pageTitle);
  const { id = '' } = useParams();
  const detail = useResource<RequestDetail>(`${preregistrationApi}/queue/${encodeURIComponent(id)}`);
  return (
    <>
      <p>
        <Link to={preregistrationPaths.queue} className={fr.cx('fr-link', 'fr-icon-arrow-left-line', 'fr-link--icon-left')}>
          {t.back}
        </Link>
      </p>
      <h1>{t.title}</h1>
      {detail.status === 'loading' && <p aria-live="polite">{preregistrationTexts.queue.loading}</p>}
      {detail.status === 'error' && <Alert as="h2" severity="error" title={preregistrationTexts.queue.errorTitle} description={detail.error.message} />}
      {detail.status === 'success' && <Decision request={detail.data} />}
    </>
  );
}

function Decision({ request: r }: { request: RequestDetail }) {
  const [professionCode, setProfessionCode] = useState(r.situation.professionCode ?? '');
  const [roleCode, setRoleCode] = useState(r.situation.roleCode ?? '');
  const [startDate, setStartDate] = useState(r.situation.startDate ?? '');
  const [exerciseLastName, setExerciseLastName] = useState(r.situation.exerciseLastName ?? r.etatCivil.birthName);
  const [exerciseFirstName, setExerciseFirstName] = useState(r.situation.exerciseFirstName ?? r.etatCivil.firstNames[0] ?? '');
  const [decl, setDecl] = useState({ accurateAndInformed: false, metInPerson: false });
  const [reason, setReason] = useState('');
  const [notDuplicate, setNotDuplicate] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const professions = useResource<CodeList>('/api/nomenclatures/profession?selectableOnly=true');
  const roles = useResource<CodeList>('/api/nomenclatures/role?selectableOnly=true');
  const state = (key: string) => (errors[key] ? ('error' as const) : ('default' as const));

  const act = async (action: 'validate' | 'reject') => {
    setErrors({});
    setProblem(null);
    try {
      if (action === 'validate') {
        const res = await sendJson<{ rpps: string }>('POST', `${preregistrationApi}/queue/${r.id}/validate`, {
          declarations: decl,
          professionCode,
          roleCode,
          startDate,
          exerciseLastName,
          exerciseFirstName,
          // Only once the gestionnaire has checked them (never for an exact match: the register decides).
          notDuplicateOf: notDuplicate ? r.likelyDuplicates.map((d) => d.rpps) : [],
        });
        setDone(t.validated(res.rpps));
      } else {
        await sendJson('POST', `${preregistrationApi}/queue/${r.id}/reject`, { reason });
        setDone(t.rejected);
      }
      void refreshPendingCount();
    } catch (err) {
      setErrors(errorsByField(err));
      setProblem(err instanceof Error ? err.message : String(err));
    }
  };

  if (done) return <Alert as="h2" severity="success" title={done} description="" />;
  return (
    <>
      {r.source === 'bulk-import' ? <EtatCivilCard etatCivil={r.etatCivil} title={t.fromFileTitle} notice={t.fromFileNotice} /> : <EtatCivilCard etatCivil={r.etatCivil} title={t.fromFranceConnectTitle} notice={t.fromFranceConnectNotice} />}
      {r.existingRpps && <Alert severity="info" small description={t.existing(r.existingRpps)} className={fr.cx('fr-mb-3w')} />}
      {r.likelyDuplicates.length > 0 && <Alert severity="warning" small description={`${t.likely} (${r.likelyDuplicates.map((d) => d.rpps).join(', ')})`} className={fr.cx('fr-mb-3w')} />}
      <section aria-labelledby="contact-title" className={fr.cx('fr-mb-4w')}>
        <h2 id="contact-title" className={fr.cx('fr-h5')}>
          {t.contact}
        </h2>
        <p>
          {r.contact.email} — {formatPhone(r.contact.mobile)}
        </p>
      </section>
      {problem && <Alert severity="error" small description={problem} className={fr.cx('fr-mb-3w')} />}
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          void act('validate');
        }}
        noValidate
      >
        <fieldset className={fr.cx('fr-fieldset')}>
          <legend className={fr.cx('fr-fieldset__legend')}>
            {t.situation} — {r.situation.egName ?? r.situation.egFiness}
          </legend>
          <CodeSelect label={preregistrationTexts.form.profession} name="professionCode" value={professionCode} onChange={setProfessionCode} list={professions} error={errors['situation/professionCode']} />
          <CodeSelect label={preregistrationTexts.form.role} name="roleCode" value={roleCode} onChange={setRoleCode} list={roles} error={errors['situation/roleCode']} />
          <div className={fr.cx('fr-fieldset__element')}>
            <Input label={preregistrationTexts.form.startDate} state={state('situation/startDate')} stateRelatedMessage={errors['situation/startDate']} nativeInputProps={{ type: 'date', name: 'startDate', value: startDate, onChange: (v) => setStartDate(v.target.value) }} />
          </div>
          <div className={fr.cx('fr-fieldset__element')}>
            <Input label={preregistrationTexts.form.exerciseLastName} state={state('situation/exerciseLastName')} stateRelatedMessage={errors['situation/exerciseLastName']} nativeInputProps={{ name: 'exerciseLastName', value: exerciseLastName, onChange: (v) => setExerciseLastName(v.target.value) }} />
          </div>
          <div className={fr.cx('fr-fieldset__element')}>
            <Input label={preregistrationTexts.form.exerciseFirstName} state={state('situation/exerciseFirstName')} stateRelatedMessage={errors['situation/exerciseFirstName']} nativeInputProps={{ name: 'exerciseFirstName', value: exerciseFirstName, onChange: (v) => setExerciseFirstName(v.target.value) }} />
          </div>
        </fieldset>
        <Checkbox
          legend={t.declarationsLegend}
          state={errors['declarations/accurateAndInformed'] || errors['declarations/metInPerson'] ? 'error' : 'default'}
          stateRelatedMessage={errors['declarations/accurateAndInformed'] ?? errors['declarations/metInPerson']}
          options={[
            { label: t.accurate, nativeInputProps: { name: 'accurateAndInformed', checked: decl.accurateAndInformed, onChange: (v) => setDecl({ ...decl, accurateAndInformed: v.target.checked }) } },
            { label: t.metInPerson, nativeInputProps: { name: 'metInPerson', checked: decl.metInPerson, onChange: (v) => setDecl({ ...decl, metInPerson: v.target.checked }) } },
          ]}
        />
        <p className={fr.cx('fr-text--sm')}>
          <CguLink />
        </p>
        {r.likelyDuplicates.length > 0 && (
          <Checkbox
            legend={t.likelyLegend}
            options={[{ label: t.notDuplicate, nativeInputProps: { name: 'notDuplicate', checked: notDuplicate, onChange: (v) => setNotDuplicate(v.target.checked) } }]}
          />
        )}
        <Button type="submit">{t.validate}</Button>
      </form>
      <form
        className={fr.cx('fr-mt-6w')}
        onSubmit={(ev) => {
          ev.preventDefault();
          void act('reject');
        }}
        noValidate
      >
        <fieldset className={fr.cx('fr-fieldset')}>
          <legend className={fr.cx('fr-fieldset__legend')}>{t.rejectLegend}</legend>
          <div className={fr.cx('fr-fieldset__element')}>
            <Input textArea label={t.reason} state={state('reason')} stateRelatedMessage={errors.reason} nativeTextAreaProps={{ name: 'reason', value: reason, onChange: (v) => setReason(v.target.value) }} />
          </div>
        </fieldset>
        <Button type="submit" priority="secondary">
          {t.reject}
        </Button>
      </form>
    </>
  );
}
