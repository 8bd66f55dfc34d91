import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { withQuery } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { accessTexts as t, formatIsoDate } from './texts.ts';

interface AccessMatrix {
  on: string;
  version: { label: string; effectiveFrom: string; source: string };
  dmpOpening: { open: boolean; from: string | null };
  roles: Array<{ code: string; label: string }>;
  documentTypes: Array<{ key: string; code: string | null; system: string | null; label: string }>;
  grants: Record<string, string[]>;
}

/** The role × document type matrix as a readable table (one column per role). */
export function AccessMatrixPage() {
  usePageTitle(t.title);
  const [params, setParams] = useSearchParams();
  const on = params.get('date') ?? '';
  const [draft, setDraft] = useState(on);
  const result = useResource<AccessMatrix>(withQuery('/api/access-matrix', { on: on || undefined }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setParams(draft ? { date: draft } : {});
  };

  return (
    <>
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
      <form onSubmit={submit} className={fr.cx('fr-grid-row', 'fr-grid-row--bottom', 'fr-grid-row--gutters', 'fr-mb-4w')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <Input
            label={t.dateLabel}
            hintText={t.dateHint}
            nativeInputProps={{ type: 'date', value: draft, onChange: (e) => setDraft(e.target.value), name: 'date' }}
          />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-2', 'fr-mb-3w')}>
          <Button type="submit" priority="secondary">
            {t.show}
          </Button>
        </div>
      </form>
      {result.status === 'loading' && <p role="status">{t.loading}</p>}
      {result.status === 'error' && (
        <Alert severity="error" small description={result.error.message} className={fr.cx('fr-mb-4w')} />
      )}
      {result.status === 'success' && <MatrixTable matrix={result.data} />}
    </>
  );
}

function MatrixTable({ matrix }: { matrix: AccessMatrix }) {
  const granted = new Map(matrix.roles.map((r) => [r.code, new Set(matrix.grants[r.code] ?? [])]));
  return (
    <>
      {/* Seed 001: DMP consultation by professionals à rôle is still to come; seed 004: "à terme". */}
      {!matrix.dmpOpening.open && (
        <Alert
          as="h2"
          severity="info"
          className={fr.cx('fr-mb-3w')}
          title={t.dmpNotOpenTitle}
          description={t.dmpNotOpen(matrix.dmpOpening.from ? formatIsoDate(matrix.dmpOpening.from) : null)}
          data-testid="dmp-opening"
        />
      )}
      <p>
        <strong>{t.version(matrix.version.label, formatIsoDate(matrix.version.effectiveFrom))}</strong>
      </p>
      <details className={fr.cx('fr-mb-3w')}>
        <summary>{t.source}</summary>
        <p className={fr.cx('fr-text--sm')}>{matrix.version.source}</p>
      </details>
      <h2 className={fr.cx('fr-h4')}>{t.rolesTitle}</h2>
      <ul className={fr.cx('fr-mb-4w')}>
        {matrix.roles.map((r) => (
          <li key={r.code}>{r.label}</li>
        ))}
      </ul>
      <div className={fr.cx('fr-table', 'fr-table--bordered')}>
        {/* Scrolls sideways on a phone: focusable so that a keyboard scrolls it (axe scrollable-region-focusable). */}
        <table tabIndex={0}>
          <caption>{t.caption(matrix.documentTypes.length)}</caption>
          <thead>
            <tr>
              <th scope="col">{t.documentType}</th>
              {matrix.roles.map((r) => (
                <th scope="col" key={r.code}>
                  {r.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.documentTypes.map((d) => (
              <tr key={d.key}>
                <th scope="row">{d.label}</th>
                {matrix.roles.map((r) => {
                  const ok = granted.get(r.code)?.has(d.key) ?? false;
                  return (
                    <td key={r.code}>
                      <span aria-hidden="true">{ok ? t.allowed : t.denied}</span>
                      <span className={fr.cx('fr-sr-only')}>
                        {r.label} : {ok ? t.allowedSr : t.deniedSr}
                      </span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
