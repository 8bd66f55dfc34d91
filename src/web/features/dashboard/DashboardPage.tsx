import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { useEffect, useState } from 'react';
import { getJson } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { bulkImportApi, type StructureChoice } from '../bulk-import/api.ts';
import { type StructureDetail, structureUrl } from '../structures/api.ts';
import { Figure } from './Figure.tsx';
import { KeyFigures } from './KeyFigures.tsx';
import { percent, structureKeyFigures } from './structureFigures.ts';
import { dashboardTexts as t } from './texts.ts';
import type { Dashboard } from '../../../server/modules/dashboard/service.ts';

type Counted = Dashboard['activeByRole'];

/** Active professionals by a nomenclature (role, profession): horizontal bars, table of label and count. */
function CountedFigure({ text, counted, file }: { text: { caption: string; headers: readonly string[] }; counted: Counted; file: string }) {
  return (
    <Figure
      caption={text.caption}
      headers={text.headers}
      rows={counted.map((r) => [r.label, String(r.count)])}
      file={file}
      chart={{ kind: 'bars', series: [t.chart.count], data: counted.map((r) => ({ label: r.label, values: [r.count] })) }}
    />
  );
}

/** The names of the establishments offered, read from each EJ's FINESS card; a name still unknown is left out. */
function useEstablishmentNames(items: StructureChoice[]): Map<string, string> {
  const [names, setNames] = useState(new Map<string, string>());
  const key = items.map((s) => s.ejFiness).join(',');
  useEffect(() => {
    let live = true;
    for (const ej of key ? key.split(',') : []) {
      getJson<StructureDetail>(structureUrl(ej))
        .then((d) => {
          if (live) setNames((m) => new Map([...m, ...d.establishments.map((e) => [e.finess, e.name] as const)]));
        })
        .catch(() => undefined);
    }
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}

const date = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString('fr-FR', { timeZone: 'UTC' });
/** 'YYYY-MM' → 'nov. 2026'. */
const month = (ym: string) => new Date(`${ym}-01T00:00:00Z`).toLocaleDateString('fr-FR', { month: 'short', year: 'numeric', timeZone: 'UTC' });
/** Dashboard of an EJ or one of its EG, within the viewer's scope (issue 10). */
export function DashboardPage() {
  usePageTitle(t.pageTitle);
  const structures = useResource<{ items: StructureChoice[] }>(`${bulkImportApi}/structures`);
  const items = structures.status === 'success' ? structures.data.items : [];
  const egNames = useEstablishmentNames(items);
  const [chosen, setChosen] = useState('');
  const finess = chosen || items[0]?.ejFiness || '';
  const data = useResource<Dashboard>(finess ? `/api/dashboard/structures/${finess}` : null);
  const d = data.status === 'success' ? data.data : null;

  return (
    <>
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
      {structures.status === 'loading' && <p aria-live="polite">{t.loading}</p>}
      {structures.status === 'error' && <Alert as="h2" severity="error" title={t.errorTitle} description={structures.error.message} />}
      {structures.status === 'success' && items.length === 0 && <Alert severity="info" small description={t.noStructure} />}
      {items.length > 0 && (
        <Select label={t.structure} nativeSelectProps={{ value: finess, onChange: (e) => setChosen(e.target.value) }}>
          {items.map((s) => [
            <option key={s.ejFiness} value={s.ejFiness}>
              {t.wholeEj(s.name, s.ejFiness)}
            </option>,
            ...s.egFiness.map((eg) => (
              <option key={eg} value={eg}>
                {t.eg(egNames.get(eg), eg)}
              </option>
            )),
          ])}
        </Select>
      )}
      {data.status === 'loading' && <p aria-live="polite">{t.loading}</p>}
      {data.status === 'error' && <Alert as="h2" severity="error" title={t.errorTitle} description={data.error.message} />}
      {d && (
        <>
          <h2>{t.keyFigures}</h2>
          <KeyFigures figures={structureKeyFigures(d)} />
          <h2>{t.details}</h2>
          <CountedFigure text={t.byRole} counted={d.activeByRole} file="actifs-par-role.csv" />
          <CountedFigure text={t.byProfession} counted={d.activeByProfession} file="actifs-par-profession.csv" />
          <Figure
            caption={t.perMonth.caption}
            headers={t.perMonth.headers}
            rows={d.registrationsPerMonth.map((m) => [month(m.month), String(m.count)])}
            file="enregistrements-par-mois.csv"
            chart={{ kind: 'columns', series: [t.perMonth.headers[1]], data: d.registrationsPerMonth.map((m) => ({ label: month(m.month), values: [m.count] })) }}
          />
          <Figure
            caption={t.pendingAge.caption}
            headers={t.pendingAge.headers}
            rows={d.pendingRequests.byAge.map((b) => [b.bucket, String(b.count)])}
            file="demandes-en-attente.csv"
            chart={{ kind: 'columns', series: [t.chart.count], data: d.pendingRequests.byAge.map((b) => ({ label: b.bucket, values: [b.count] })) }}
          />
          <Figure
            caption={t.ecps.caption}
            headers={t.ecps.headers}
            rows={d.ecps.persons === 0 ? [] : [[t.ecps.persons, String(d.ecps.persons)], [t.ecps.active, String(d.ecps.active)], [t.ecps.rate, percent(d.ecps.rate)]]}
            file="activation-e-cps.csv"
            chart={{ kind: 'gauge', value: d.ecps.active, total: d.ecps.persons, valueLabel: t.ecps.active, restLabel: t.ecps.rest }}
          />
          <Figure
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
