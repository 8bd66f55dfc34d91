import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Pagination } from '@codegouvfr/react-dsfr/Pagination';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { withQuery } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { type CodeList, type Establishment, labelOf, type ProfessionalList, registerApi } from './api.ts';
import { registerPaths } from './paths.ts';
import { formatDate, registerTexts } from './texts.ts';

const t = registerTexts.list;
const fields = ['q', 'professionCode', 'roleCode', 'egFiness', 'status'] as const;
type Filters = Record<(typeof fields)[number], string>;
const pageSize = 20;

/** "Mes professionnels": the situations of the gestionnaire's scope, filtered and paged. */
export function ProfessionalsPage() {
  usePageTitle(t.pageTitle);
  const [params, setParams] = useSearchParams();
  const current = Object.fromEntries(fields.map((f) => [f, params.get(f) ?? ''])) as Filters;
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const [draft, setDraft] = useState<Filters>(current);
  const key = fields.map((f) => current[f]).join('|');
  // Back/forward navigation: the form shows the filters of the URL again.
  useEffect(() => setDraft(Object.fromEntries(key.split('|').map((v, i) => [fields[i], v])) as Filters), [key]);
  const result = useResource<ProfessionalList>(withQuery(`${registerApi}/professionals`, { ...current, page, pageSize }));
  const professions = useResource<CodeList>('/api/nomenclatures/profession');
  const roles = useResource<CodeList>('/api/nomenclatures/role');
  const egs = useResource<{ items: Establishment[] }>(`${registerApi}/establishments?limit=50`);
  const egName = (finess: string) => (egs.status === 'success' ? egs.data.items.find((e) => e.finess === finess)?.name : undefined) ?? finess;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const f of fields) if (draft[f].trim()) next.set(f, draft[f].trim());
    setParams(next);
  };
  const select = (name: 'professionCode' | 'roleCode' | 'egFiness' | 'status', label: string, items: Array<{ code: string; label: string }>) => (
    <div className={fr.cx('fr-col-12', 'fr-col-md-3')}>
      <Select label={label} nativeSelectProps={{ name, value: draft[name], onChange: (e) => setDraft({ ...draft, [name]: e.target.value }) }}>
        <option value="">{t.any}</option>
        {items.map((i) => (
          <option key={i.code} value={i.code}>
            {i.label}
          </option>
        ))}
      </Select>
    </div>
  );

  return (
    <>
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
      <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md', 'fr-mb-4w')}>
        <li>
          <Button linkProps={{ to: registerPaths.register }}>
            {registerTexts.nav.register}
          </Button>
        </li>
        <li>
          <Button linkProps={{ to: registerPaths.addSituation }} priority="secondary">
            {registerTexts.addSituation.link}
          </Button>
        </li>
      </ul>
      <form role="search" aria-label={t.formLegend} onSubmit={onSubmit} noValidate className={fr.cx('fr-mb-4w')}>
        <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
          <div className={fr.cx('fr-col-12', 'fr-col-md-12')}>
            <Input label={t.q} nativeInputProps={{ name: 'q', type: 'search', value: draft.q, onChange: (e) => setDraft({ ...draft, q: e.target.value }) }} />
          </div>
          {select('professionCode', t.profession, professions.status === 'success' ? professions.data.items : [])}
          {select('roleCode', t.role, roles.status === 'success' ? roles.data.items : [])}
          {select('egFiness', t.eg, egs.status === 'success' ? egs.data.items.map((e) => ({ code: e.finess, label: `${e.name} (${e.finess})` })) : [])}
          {select('status', t.status, Object.entries(t.statuses).map(([code, label]) => ({ code, label })))}
        </div>
        <Button type="submit" iconId="fr-icon-search-line">
          {t.submit}
        </Button>
      </form>
      <section aria-labelledby="pros-results">
        <h2 id="pros-results" className={fr.cx('fr-h4')}>
          {t.caption}
        </h2>
        <p role="status">
          {result.status === 'loading' && t.loading}
          {result.status === 'success' && t.count(result.data.total)}
        </p>
        {result.status === 'error' && <Alert severity="error" as="h3" title={t.errorTitle} description={result.error.message} />}
        {result.status === 'success' && result.data.total === 0 && <Alert severity="info" as="h3" title={t.emptyTitle} description={t.emptyDesc} />}
        {result.status === 'success' && result.data.items.length > 0 && (
          <>
            <div className={fr.cx('fr-table')}>
              <table>
                <caption className={fr.cx('fr-sr-only')}>{t.caption}</caption>
                <thead>
                  <tr>
                    {t.columns.map((c) => (
                      <th key={c} scope="col">
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {result.data.items.map((s) => (
                    <tr key={s.id}>
                      <td>
                        <Link to={registerPaths.person(s.rpps)}>
                          {s.exerciseFirstName} {s.exerciseLastName}
                        </Link>
                      </td>
                      <td>{s.rpps}</td>
                      <td>{labelOf(professions.status === 'success' ? professions.data : undefined, s.professionCode)}</td>
                      <td>{labelOf(roles.status === 'success' ? roles.data : undefined, s.roleCode)}</td>
                      <td>{egName(s.egFiness)}</td>
                      <td>{formatDate(s.startDate)}</td>
                      <td>
                        <Badge severity={s.status === 'active' ? 'success' : undefined} small noIcon>
                          {registerTexts.person.status[s.status] ?? s.status}
                          {s.status === 'active' && s.endDate ? ` — ${registerTexts.person.endPlanned(s.endDate)}` : ''}
                        </Badge>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {result.data.total > pageSize && (
              <Pagination
                count={Math.ceil(result.data.total / pageSize)}
                defaultPage={page}
                showFirstLast
                getPageLinkProps={(p) => {
                  const next = new URLSearchParams(params);
                  next.set('page', String(p));
                  return { to: `${registerPaths.list}?${next.toString()}` };
                }}
              />
            )}
          </>
        )}
      </section>
    </>
  );
}
