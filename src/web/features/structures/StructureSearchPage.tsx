import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Card } from '@codegouvfr/react-dsfr/Card';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Pagination } from '@codegouvfr/react-dsfr/Pagination';
import { type FormEvent, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { paths } from '../../app/routes.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { searchPageSize, type StructurePage, type StructureSearch, structureSearchUrl } from './api.ts';
import { StructureBadges } from './StructureBadges.tsx';
import { structureTexts } from './texts.ts';

const t = structureTexts.search;

function readSearch(params: URLSearchParams): StructureSearch {
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  return {
    q: (params.get('q') ?? '').trim(),
    department: (params.get('department') ?? '').trim(),
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

function toParams(s: StructureSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (s.q) params.set('q', s.q);
  if (s.department) params.set('department', s.department);
  if (s.page > 1) params.set('page', String(s.page));
  return params;
}

export function StructureSearchPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const search = readSearch(searchParams);
  const hasCriteria = search.q !== '' || search.department !== '';
  const result = useResource<StructurePage>(hasCriteria ? structureSearchUrl(search) : null);

  // The form edits a draft; the URL holds the submitted query (shareable, back/forward work).
  const [draft, setDraft] = useState({ q: search.q, department: search.department });
  const [missingCriteria, setMissingCriteria] = useState(false);
  useEffect(() => {
    setDraft({ q: search.q, department: search.department });
  }, [search.q, search.department]);

  usePageTitle(
    hasCriteria
      ? `${t.pageTitleWithQuery([search.q, search.department].filter(Boolean).join(', '))}${
          result.status === 'success' ? ` : ${t.count(result.data.total).toLowerCase()}` : ''
        } — ${t.pageTitle}`
      : t.pageTitle,
  );

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = { q: draft.q.trim(), department: draft.department.trim().toUpperCase(), page: 1 };
    if (!next.q && !next.department) {
      setMissingCriteria(true);
      return;
    }
    setMissingCriteria(false);
    setSearchParams(toParams(next));
  };

  const apiError = result.status === 'error' ? result.error : undefined;
  const fieldErrors = apiError instanceof ApiError ? apiError.fieldErrors : {};
  const qError = missingCriteria ? t.query.required : fieldErrors.q;
  const departmentError = fieldErrors.department;
  const hasFieldErrors = qError !== undefined || departmentError !== undefined;

  return (
    <>
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>

      <form role="search" aria-label={t.formLegend} onSubmit={onSubmit} noValidate className={fr.cx('fr-mb-4w')}>
        <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-grid-row--top')}>
          <div className={fr.cx('fr-col-12', 'fr-col-md-8')}>
            <Input
              className={fr.cx('fr-mb-0')}
              label={t.query.label}
              hintText={t.query.hint}
              state={qError ? 'error' : 'default'}
              stateRelatedMessage={qError}
              nativeInputProps={{
                name: 'q',
                type: 'search',
                value: draft.q,
                autoComplete: 'off',
                onChange: (e) => setDraft((d) => ({ ...d, q: e.target.value })),
              }}
            />
          </div>
          <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
            <Input
              className={fr.cx('fr-mb-0')}
              label={t.department.label}
              hintText={t.department.hint}
              state={departmentError ? 'error' : 'default'}
              stateRelatedMessage={departmentError}
              nativeInputProps={{
                name: 'department',
                value: draft.department,
                autoComplete: 'off',
                maxLength: 3,
                onChange: (e) => setDraft((d) => ({ ...d, department: e.target.value })),
              }}
            />
          </div>
        </div>
        <Button type="submit" iconId="fr-icon-search-line" className={fr.cx('fr-mt-3w')}>
          {t.submit}
        </Button>
      </form>

      <section aria-labelledby="results-title">
        <h2 id="results-title">{t.resultsTitle}</h2>
        <p id="search-status" role="status" className={fr.cx('fr-mb-3w')}>
          {result.status === 'idle' && t.invite}
          {result.status === 'loading' && t.loading}
          {result.status === 'success' &&
            `${t.count(result.data.total)}${
              result.data.total > searchPageSize
                ? ` (${t.pageInfo(result.data.page, Math.ceil(result.data.total / result.data.pageSize))})`
                : ''
            }`}
        </p>

        {apiError && (
          <Alert
            severity="error"
            as="h3"
            title={hasFieldErrors ? t.invalidTitle : t.errorTitle}
            description={apiError.message}
            className={fr.cx('fr-mb-4w')}
          />
        )}

        {result.status === 'success' && result.data.total === 0 && (
          <Alert severity="info" as="h3" title={t.emptyTitle} description={t.emptyDesc} />
        )}

        {result.status === 'success' && result.data.items.length > 0 && (
          <>
            <ul className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-raw-list', 'fr-mb-4w')}>
              {result.data.items.map((s) => (
                <li key={s.finess} className={fr.cx('fr-col-12', 'fr-col-md-6')}>
                  <Card
                    title={s.name}
                    titleAs="h3"
                    size="small"
                    enlargeLink
                    linkProps={{ to: paths.structure(s.finess) }}
                    start={<StructureBadges structure={s} />}
                    detail={structureTexts.finessLabel(s.finess)}
                    desc={[s.categoryLabel, [s.postalCode, s.city].filter(Boolean).join(' ')].filter(Boolean).join(' — ')}
                    border
                  />
                </li>
              ))}
            </ul>
            {result.data.total > result.data.pageSize && (
              <Pagination
                count={Math.ceil(result.data.total / result.data.pageSize)}
                defaultPage={result.data.page}
                showFirstLast
                getPageLinkProps={(page) => ({ to: `${paths.structures}?${toParams({ ...search, page }).toString()}` })}
              />
            )}
          </>
        )}
      </section>
    </>
  );
}
