import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useState } from 'react';
import { useResource } from '../../api/useResource.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { bulkImportApi, saveBlob, type StructureChoice } from '../bulk-import/api.ts';
import { dashboardTexts as t } from './texts.ts';

interface Dashboard {
  finess: string;
  name: string;
  activeByRole: Array<{ code: string; label: string; count: number }>;
  activeByProfession: Array<{ code: string; label: string; count: number }>;
  registrationsPerMonth: Array<{ month: string; count: number }>;
  pendingRequests: { count: number; oldestDays: number | null; byAge: Array<{ bucket: string; count: number }> };
  endingSoon: Array<{ rpps: string; exerciseLastName: string; exerciseFirstName: string; egFiness: string; endDate: string }>;
  identitiesToVerify: number;
  ecps: { persons: number; active: number; rate: number | null };
}

const csvCell = (v: string) => (/[";\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** One figure table with its CSV export (the accessible form of each figure). */
function FigureTable({ caption, headers, rows, file }: { caption: string; headers: readonly string[]; rows: string[][]; file: string }) {
  const exportCsv = () => saveBlob(new Blob([`\uFEFF${[headers, ...rows].map((r) => r.map(csvCell).join(';')).join('\r\n')}\r\n`], { type: 'text/csv' }), file);
  return (
    <section className={fr.cx('fr-mb-4w')}>
      {rows.length === 0 ? (
        <>
          <h3 className={fr.cx('fr-h6')}>{caption}</h3>
          <p>{t.empty}</p>
        </>
      ) : (
        <>
          <Table caption={caption} headers={[...headers]} data={rows} />
          <Button priority="tertiary" size="small" onClick={exportCsv} title={`${t.export} : ${caption}`}>
            {t.export}
          </Button>
        </>
      )}
    </section>
  );
}

const date = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString('fr-FR', { timeZone: 'UTC' });

/** Dashboard of an EJ or one of its EG, within the viewer's scope (issue 10). */
export function DashboardPage() {
  usePageTitle(t.pageTitle);
  const structures = useResource<{ items: StructureChoice[] }>(`${bulkImportApi}/structures`);
  const items = structures.status === 'success' ? structures.data.items : [];
  const [chosen, setChosen] = useState('');
  const finess = chosen || items[0]?.ejFiness || '';
  const data = useResource<Dashboard>(finess ? `/api/dashboard/structures/${finess}` : null);
  const d = data.status === 'success' ? data.data : null;
  const active = d ? d.activeByRole.reduce((n, r) => n + r.count, 0) : 0;

  return (
    <>
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
      {structures.status === 'loading' && <p aria-live="polite">{t.loading}</p>}
      {structures.status === 'error' && <Alert severity="error" title={t.errorTitle} description={structures.error.message} />}
      {structures.status === 'success' && items.length === 0 && <Alert severity="info" small description={t.noStructure} />}
      {items.length > 0 && (
        <Select label={t.structure} nativeSelectProps={{ value: finess, onChange: (e) => setChosen(e.target.value) }}>
          {items.map((s) => [
            <option key={s.ejFiness} value={s.ejFiness}>
              {t.wholeEj(s.name, s.ejFiness)}
            </option>,
            ...s.egFiness.map((eg) => (
              <option key={eg} value={eg}>
                {t.eg(eg)}
              </option>
            )),
          ])}
        </Select>
      )}
      {data.status === 'loading' && <p aria-live="polite">{t.loading}</p>}
      {data.status === 'error' && <Alert severity="error" title={t.errorTitle} description={data.error.message} />}
      {d && (
        <>
          <h2>{t.keyFigures}</h2>
          <ul>
            <li>
              {t.figures.active} : <strong>{active}</strong>
            </li>
            <li>
              {t.figures.pending} : <strong>{d.pendingRequests.count}</strong> ({t.figures.oldest(d.pendingRequests.oldestDays)})
            </li>
            <li>
              {t.figures.toVerify} : <strong>{d.identitiesToVerify}</strong>
            </li>
            <li>
              {t.figures.ecps} : <strong>{d.ecps.rate === null ? '—' : `${Math.round(d.ecps.rate * 100)} %`}</strong> ({d.ecps.active} / {d.ecps.persons})
            </li>
          </ul>
          <FigureTable caption={t.byRole.caption} headers={t.byRole.headers} rows={d.activeByRole.map((r) => [r.code, r.label, String(r.count)])} file="actifs-par-role.csv" />
          <FigureTable caption={t.byProfession.caption} headers={t.byProfession.headers} rows={d.activeByProfession.map((r) => [r.code, r.label, String(r.count)])} file="actifs-par-profession.csv" />
          <FigureTable caption={t.perMonth.caption} headers={t.perMonth.headers} rows={d.registrationsPerMonth.map((m) => [m.month, String(m.count)])} file="enregistrements-par-mois.csv" />
          <FigureTable caption={t.pendingAge.caption} headers={t.pendingAge.headers} rows={d.pendingRequests.byAge.map((b) => [b.bucket, String(b.count)])} file="demandes-en-attente.csv" />
          <FigureTable
            caption={t.endingSoon.caption}
            headers={t.endingSoon.headers}
            rows={d.endingSoon.map((e) => [e.rpps, e.exerciseLastName, e.exerciseFirstName, e.egFiness, date(e.endDate)])}
            file="situations-se-terminant.csv"
          />
        </>
      )}
    </>
  );
}
