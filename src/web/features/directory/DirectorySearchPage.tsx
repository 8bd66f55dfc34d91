import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Card } from '@codegouvfr/react-dsfr/Card';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useResource } from '../../api/useResource.ts';
import { paths } from '../../app/routes.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { type DirectoryPage, type DirectorySearch, directoryPaths, directorySearchUrl, displayName } from './api.ts';
import { DirectoryDownloads } from './DirectoryDownloads.tsx';
import { directoryTexts } from './texts.ts';

const t = directoryTexts.search;
const fields = ['q', 'profession', 'role', 'structure', 'department'] as const;
type Field = (typeof fields)[number];

/** The same formats as the API's (src/server/modules/directory/schemas.ts), checked before the search is sent. */
const finessFormat = /^[0-9][0-9AB]\d{7}$/;
const departmentFormat = /^(\d{2,3}|2[AB])$/;

/** The message of each field the search cannot use, by field name; empty when the search can be sent. */
function fieldErrors(s: Pick<DirectorySearch, Field>): Partial<Record<Field, string>> {
  if (!fields.some((f) => s[f] !== '')) return { q: t.required };
  return {
    ...(s.structure && !finessFormat.test(s.structure) ? { structure: t.invalidFiness } : {}),
    ...(s.department && !departmentFormat.test(s.department) ? { department: t.invalidDepartment } : {}),
  };
}

interface CodeList {
  items: Array<{ code: string; label: string }>;
}

function readSearch(params: URLSearchParams): DirectorySearch {
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  return {
    q: (params.get('q') ?? '').trim(),
    profession: (params.get('profession') ?? '').trim(),
    role: (params.get('role') ?? '').trim(),
    structure: (params.get('structure') ?? '').trim(),
    department: (params.get('department') ?? '').trim(),
    after: params.get('suite') ?? '',
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

function toParams(s: DirectorySearch): URLSearchParams {
  const params = new URLSearchParams();
  for (const f of fields) if (s[f]) params.set(f, s[f]);
  if (s.after) params.set('suite', s.after);
  if (s.after && s.page > 1) params.set('page', String(s.page));
  return params;
}

/** Public search of the directory (no sign-in): published data only. */
export function DirectorySearchPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const search = readSearch(searchParams);
  const hasCriteria = fields.some((f) => search[f] !== '');
  const urlErrors = hasCriteria ? fieldErrors(search) : {};
  const canSearch = hasCriteria && Object.keys(urlErrors).length === 0;
  const result = useResource<DirectoryPage>(canSearch ? directorySearchUrl(search) : null);
  const professions = useResource<CodeList>('/api/nomenclatures/profession');
  const roles = useResource<CodeList>('/api/nomenclatures/role?selectableOnly=true');
  const [draft, setDraft] = useState({ q: search.q, profession: search.profession, role: search.role, structure: search.structure, department: search.department });
  const [submitErrors, setSubmitErrors] = useState<Partial<Record<Field, string>> | null>(null);
  const errors = submitErrors ?? urlErrors;
  useEffect(() => {
    setDraft({ q: search.q, profession: search.profession, role: search.role, structure: search.structure, department: search.department });
    setSubmitErrors(null);
  }, [search.q, search.profession, search.role, search.structure, search.department]);
  usePageTitle(t.pageTitle);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = { q: draft.q.trim(), profession: draft.profession, role: draft.role, structure: draft.structure.trim().toUpperCase(), department: draft.department.trim().toUpperCase(), after: '', page: 1 };
    const found = fieldErrors(next);
    const first = fields.find((f) => found[f]);
    if (first) {
      setSubmitErrors(found);
      // The first field to correct takes the focus; its message is tied to it (aria-describedby).
      event.currentTarget.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    setSubmitErrors(null);
    setSearchParams(toParams(next));
  };

  const input = (name: Field, label: string, hint: string, col: string) => (
    <div className={fr.cx('fr-col-12', col as 'fr-col-md-3')}>
      <Input
        className={fr.cx('fr-mb-0')}
        label={label}
        hintText={hint}
        state={errors[name] ? 'error' : 'default'}
        stateRelatedMessage={errors[name]}
        nativeInputProps={{ name, type: name === 'q' ? 'search' : 'text', value: draft[name], autoComplete: 'off', 'aria-invalid': errors[name] ? true : undefined, onChange: (e) => setDraft((d) => ({ ...d, [name]: e.target.value })) }}
      />
    </div>
  );

  const select = (name: 'profession' | 'role', list: typeof professions, texts: { label: string; hint: string; any: string }) => (
    <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
      <Select
        className={fr.cx('fr-mb-0')}
        label={texts.label}
        hint={texts.hint}
        nativeSelectProps={{ name, value: draft[name], onChange: (e) => setDraft((d) => ({ ...d, [name]: e.target.value })) }}
      >
        <option value="">{texts.any}</option>
        {list.status === 'success' &&
          list.data.items.map((i) => (
            <option key={i.code} value={i.code}>
              {i.label}
            </option>
          ))}
      </Select>
    </div>
  );

  return (
    <>
      <Breadcrumb currentPageLabel={t.title} homeLinkProps={{ to: paths.home }} segments={[]} />
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
      <form role="search" aria-label={t.formLegend} onSubmit={onSubmit} noValidate className={fr.cx('fr-mb-4w')}>
        <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-grid-row--top')}>
          {input('q', t.query.label, t.query.hint, 'fr-col-md-6')}
          {input('structure', t.structure.label, t.structure.hint, 'fr-col-md-3')}
          {input('department', t.department.label, t.department.hint, 'fr-col-md-3')}
          {select('profession', professions, t.profession)}
          {select('role', roles, t.role)}
        </div>
        <Button type="submit" iconId="fr-icon-search-line" className={fr.cx('fr-mt-3w')}>
          {t.submit}
        </Button>
      </form>

      <section aria-labelledby="directory-results-title">
        <h2 id="directory-results-title">{t.resultsTitle}</h2>
        <p role="status" className={fr.cx('fr-mb-3w')}>
          {result.status === 'idle' && (hasCriteria ? '' : t.invite)}
          {result.status === 'loading' && t.loading}
          {result.status === 'success' && t.count(result.data.total, result.data.totalIsLowerBound)}
        </p>
        {result.status === 'error' && <Alert severity="error" as="h3" title={t.errorTitle} description={result.error.message} className={fr.cx('fr-mb-4w')} />}
        {result.status === 'success' && result.data.total === 0 && <Alert severity="info" as="h3" title={t.emptyTitle} description={t.emptyDesc} />}
        {result.status === 'success' && result.data.items.length > 0 && (
          <>
            <ul className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-raw-list', 'fr-mb-4w')}>
              {result.data.items.map((p) => (
                <li key={p.rpps} className={fr.cx('fr-col-12', 'fr-col-md-6')}>
                  <Card
                    title={displayName(p)}
                    titleAs="h3"
                    size="small"
                    enlargeLink
                    linkProps={{ to: directoryPaths.card(p.rpps) }}
                    detail={t.rpps(p.rpps)}
                    desc={p.situations.map((s) => [s.professionLabel, s.egName].filter(Boolean).join(' — ')).join(' ; ')}
                    border
                  />
                </li>
              ))}
            </ul>
            {(search.after || result.data.next) && (
              // Keyset paging (docs/directory-and-fhir.md): the next page starts after the last result shown.
              <nav role="navigation" className={fr.cx('fr-pagination')} aria-label={t.pagination}>
                <ul className={fr.cx('fr-pagination__list')}>
                  {search.after && (
                    <li>
                      <Link className={fr.cx('fr-pagination__link', 'fr-pagination__link--first', 'fr-pagination__link--lg-label')} to={`${directoryPaths.search}?${toParams({ ...search, after: '', page: 1 }).toString()}`}>
                        {t.firstPage}
                      </Link>
                    </li>
                  )}
                  <li>
                    <a className={fr.cx('fr-pagination__link')} aria-current="page" title={t.currentPage(search.page)}>
                      {t.currentPage(search.page)}
                    </a>
                  </li>
                  {result.data.next && (
                    <li>
                      <Link
                        className={fr.cx('fr-pagination__link', 'fr-pagination__link--next', 'fr-pagination__link--lg-label')}
                        to={`${directoryPaths.search}?${toParams({ ...search, after: result.data.next, page: search.page + 1 }).toString()}`}
                      >
                        {t.nextPage}
                      </Link>
                    </li>
                  )}
                </ul>
              </nav>
            )}
          </>
        )}
      </section>
      <DirectoryDownloads />
    </>
  );
}
