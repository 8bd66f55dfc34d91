import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '../../app/Table.tsx';
import { lazy, Suspense, useId } from 'react';
import { saveBlob } from '../bulk-import/api.ts';
import { chartSummary, type ChartSpec } from './chartSpec.ts';
import { dashboardTexts as t } from './texts.ts';
import { csvCell } from '../../../shared/spreadsheet.ts';

// recharts is a separate chunk, fetched when a dashboard first draws a chart.
const Chart = lazy(() => import('./Chart.tsx'));


/**
 * One figure of a dashboard: its title, the chart (an image whose label summarises it), then
 * the same data as a DSFR table — the accessible form, reachable without a mouse — and its CSV export.
 */
export function Figure({ caption, headers, rows, file, chart }: { caption: string; headers: readonly string[]; rows: string[][]; file: string; chart?: ChartSpec | undefined }) {
  const titleId = useId();
  const exportCsv = () => saveBlob(new Blob([`\uFEFF${[headers, ...rows].map((r) => r.map(csvCell).join(';')).join('\r\n')}\r\n`], { type: 'text/csv' }), file);
  return (
    <section className={fr.cx('fr-mb-6w')} aria-labelledby={titleId}>
      <h3 id={titleId} className={fr.cx('fr-h5')}>
        {caption}
      </h3>
      {rows.length === 0 ? (
        <p>{t.empty}</p>
      ) : (
        <>
          {chart && (
            <div role="img" aria-label={chartSummary(caption, chart)} className={fr.cx('fr-mb-2w')}>
              <Suspense fallback={<p className={fr.cx('fr-text--sm')}>{t.loading}</p>}>
                <Chart spec={chart} />
              </Suspense>
            </div>
          )}
          <Table caption={t.chart.tableOf(caption)} noCaption headers={[...headers]} data={rows} />
          <Button priority="tertiary" size="small" iconId="fr-icon-download-line" onClick={exportCsv} title={`${t.export} : ${caption}`}>
            {t.export}
          </Button>
        </>
      )}
    </section>
  );
}
