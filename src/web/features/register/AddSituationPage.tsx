import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { type FormEvent, useState } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router-dom';
import { sendJson } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { fieldStates } from '../../app/fieldStates.ts';
import { type CodeList, errorsByField, type Establishment, registerApi } from './api.ts';
import { registerPaths } from './paths.ts';
import { registerTexts } from './texts.ts';

const t = registerTexts.addSituation;
type Probe = { rpps: string; birthName: string; firstName: string; sexe: string; birthDate: string };
type SituationDraft = { egFiness: string; startDate: string; professionCode: string; roleCode: string; modeCode: string };
const ts = registerTexts.wizard.situation;

/**
 * A professional who already has an RPPS number joins the structure: he is found by RPPS + birth
 * name + first name + sexe + birth date (as the real portal asks), without re-entering his état
 * civil, and only his number is shown back.
 */
export function AddSituationPage() {
  usePageTitle(t.pageTitle);
  const [params] = useSearchParams();
  // From the wizard ("c’est cette personne"): the identity and situation already typed come along.
  const carried = (useLocation().state ?? null) as { probe?: Partial<Probe>; situation?: Partial<SituationDraft> } | null;
  const [probe, setProbe] = useState<Probe>({ rpps: params.get('rpps') ?? '', birthName: '', firstName: '', sexe: '', birthDate: '', ...carried?.probe });
  const [found, setFound] = useState<string | null>(null);
  const [sit, setSit] = useState<SituationDraft>({
    egFiness: carried?.situation?.egFiness ?? '',
    startDate: carried?.situation?.startDate ?? '',
    professionCode: carried?.situation?.professionCode ?? '',
    roleCode: carried?.situation?.roleCode ?? '',
    modeCode: 'S',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const sexes = useResource<CodeList>('/api/nomenclatures/sexe?selectableOnly=true');
  const professions = useResource<CodeList>('/api/nomenclatures/profession?selectableOnly=true');
  const roles = useResource<CodeList>('/api/nomenclatures/role?selectableOnly=true');
  const egs = useResource<{ items: Establishment[] }>(found ? `${registerApi}/establishments?limit=50` : null);

  const fail = (err: unknown) => {
    setErrors(errorsByField(err));
    setProblem(err instanceof Error ? err.message : String(err));
  };
  async function identify(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    setProblem(null);
    try {
      setFound((await sendJson<{ rpps: string }>('POST', `${registerApi}/identify`, probe)).rpps);
    } catch (err) {
      fail(err);
    }
  }
  async function add(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    setProblem(null);
    try {
      setDone((await sendJson<{ rpps: string }>('POST', `${registerApi}/situations`, { identity: probe, situation: sit })).rpps);
    } catch (err) {
      fail(err);
    }
  }
  const field = fieldStates(errors);
  const list = (r: typeof sexes) => (r.status === 'success' ? r.data.items : []);

  if (done) {
    return (
      <>
        <h1>{t.title}</h1>
        <Alert as="h2" severity="success" title={t.doneTitle} description={t.done(done)} className={fr.cx('fr-mb-3w')} />
        <Button linkProps={{ to: registerPaths.person(done) }}>{registerTexts.wizard.success.open}</Button>
      </>
    );
  }
  return (
    <>
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
      {problem && <Alert severity="error" small description={problem} className={fr.cx('fr-mb-3w')} />}
      {!found ? (
        <form onSubmit={(e) => void identify(e)} noValidate>
          <fieldset className={fr.cx('fr-fieldset')}>
            <legend className={fr.cx('fr-fieldset__legend')}>{t.identityLegend}</legend>
            <div className={fr.cx('fr-fieldset__element')}>
              <Input label={t.rpps} hintText={t.rppsHint} {...field('identity/rpps')} nativeInputProps={{ name: 'rpps', inputMode: 'numeric', value: probe.rpps, onChange: (e) => setProbe({ ...probe, rpps: e.target.value }) }} />
              <Input label={registerTexts.wizard.etatCivil.birthName} nativeInputProps={{ name: 'birthName', value: probe.birthName, onChange: (e) => setProbe({ ...probe, birthName: e.target.value }) }} />
              <Input label={t.firstName} nativeInputProps={{ name: 'firstName', value: probe.firstName, onChange: (e) => setProbe({ ...probe, firstName: e.target.value }) }} />
              <Select label={registerTexts.wizard.etatCivil.sexe} nativeSelectProps={{ name: 'sexe', value: probe.sexe, onChange: (e) => setProbe({ ...probe, sexe: e.target.value }) }}>
                <option value="">{registerTexts.wizard.etatCivil.choose}</option>
                {list(sexes).map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.label}
                  </option>
                ))}
              </Select>
              <Input label={registerTexts.wizard.etatCivil.birthDate} nativeInputProps={{ name: 'birthDate', type: 'date', value: probe.birthDate, onChange: (e) => setProbe({ ...probe, birthDate: e.target.value }) }} />
            </div>
          </fieldset>
          <Button type="submit">{t.find}</Button>
        </form>
      ) : (
        <form onSubmit={(e) => void add(e)} noValidate>
          <Alert severity="info" small description={t.found(found)} className={fr.cx('fr-mb-3w')} />
          <fieldset className={fr.cx('fr-fieldset')}>
            <legend className={fr.cx('fr-fieldset__legend')}>{ts.legend}</legend>
            <div className={fr.cx('fr-fieldset__element')}>
              <Select label={ts.eg} {...field('situation/egFiness')} nativeSelectProps={{ name: 'egFiness', value: sit.egFiness, onChange: (e) => setSit({ ...sit, egFiness: e.target.value }) }}>
                <option value="">{registerTexts.wizard.etatCivil.choose}</option>
                {egs.status === 'success' &&
                  egs.data.items.map((eg) => (
                    <option key={eg.finess} value={eg.finess}>
                      {ts.egOption(eg.finess, eg.name, eg.city)}
                    </option>
                  ))}
              </Select>
              <Input label={ts.startDate} {...field('situation/startDate')} nativeInputProps={{ name: 'startDate', type: 'date', value: sit.startDate, onChange: (e) => setSit({ ...sit, startDate: e.target.value }) }} />
              <Select label={ts.profession} {...field('situation/professionCode')} nativeSelectProps={{ name: 'professionCode', value: sit.professionCode, onChange: (e) => setSit({ ...sit, professionCode: e.target.value }) }}>
                <option value="">{registerTexts.wizard.etatCivil.choose}</option>
                {list(professions).map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.label}
                  </option>
                ))}
              </Select>
              <Select label={ts.role} hint={ts.roleHint} {...field('situation/roleCode')} nativeSelectProps={{ name: 'roleCode', value: sit.roleCode, onChange: (e) => setSit({ ...sit, roleCode: e.target.value }) }}>
                <option value="">{registerTexts.wizard.etatCivil.choose}</option>
                {list(roles).map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.label}
                  </option>
                ))}
              </Select>
              <p className={fr.cx('fr-hint-text')}>
                {ts.mode} : {ts.salarie}. {ts.modeHint}
              </p>
            </div>
          </fieldset>
          <Button type="submit">{t.add}</Button>
        </form>
      )}
      <p className={fr.cx('fr-mt-4w')}>
        <Link to={registerPaths.list}>{registerTexts.person.back}</Link>
      </p>
    </>
  );
}
