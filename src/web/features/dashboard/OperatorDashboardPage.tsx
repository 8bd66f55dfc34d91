import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { departmentName, regionName } from '../../app/geography.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { asOfText } from './asOf.ts';
import { Figure } from './Figure.tsx';
import { KeyFigures } from './KeyFigures.tsx';
import { dashboardTexts } from './texts.ts';
import type { AreaFigures, OperatorDashboard } from '../../../server/modules/dashboard/operator.ts';

const t = dashboardTexts.operator;

type Area = AreaFigures;

const chartedDepartments = 15;

const date = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString('fr-FR', { timeZone: 'UTC' });
const areaBars = (areas: Area[], name: (a: Area) => string) => ({
  kind: 'bars' as const,
  series: [t.series.active, t.series.registrations],
  data: areas.map((a) => ({ label: name(a), values: [a.activeProfessionals, a.registrations] })),
});
/** Areas by their names, never a bare code: "Auvergne-Rhône-Alpes", "Rhône (69)" (issue 17). */
const regionOf = (a: Area) => (a.code ? regionName(a.code) : a.name);
const departmentOf = (a: Area) => (a.code ? departmentName(a.code) : a.name);

/** The ANS operator's view across structures (issue 10): per region and department, and stale pending requests. */
export function OperatorDashboardPage() {
  usePageTitle(t.pageTitle);
  // A field the user has not touched shows what the server applied (the defaults at first).
  const [form, setForm] = useState<{ from?: string; to?: string; staleDays?: string }>({});
  const [query, setQuery] = useState('');
  const data = useResource<OperatorDashboard>(`/api/dashboard/operator${query}`);
  const d = data.status === 'success' ? data.data : null;

  const [applied, setApplied] = useState<OperatorDashboard | null>(null);
  if (d && d !== applied) setApplied(d);
  const shown = { from: form.from ?? applied?.period.from ?? '', to: form.to ?? applied?.period.to ?? '', staleDays: form.staleDays ?? (applied ? String(applied.staleDays) : '') };
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const params = new URLSearchParams(Object.entries(shown).filter(([, v]) => v !== ''));
    setQuery(params.size ? `?${params}` : '');
  };
  const field = (name: keyof typeof shown) => ({ value: shown[name], 'aria-invalid': fieldErrors[name] ? true : undefined, onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }) });
  const fieldErrors = data.status === 'error' && data.error instanceof ApiError ? data.error.fieldErrors : {};
  const hasFieldErrors = Object.keys(fieldErrors).length > 0;
  const fieldState = (name: keyof typeof shown) =>
    fieldErrors[name] ? { state: 'error' as const, stateRelatedMessage: fieldErrors[name] } : { state: 'default' as const };
  const topDepartments = d ? [...d.byDepartment].sort((a, b) => b.activeProfessionals - a.activeProfessionals || b.registrations - a.registrations).slice(0, chartedDepartments) : [];

  return (
    <>
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
      <form onSubmit={apply} className={fr.cx('fr-mb-4w')}>
        <fieldset className={fr.cx('fr-fieldset')}>
          <legend className={fr.cx('fr-fieldset__legend')}>{t.filters}</legend>
          <div className={fr.cx('fr-fieldset__element', 'fr-col-12', 'fr-col-md-4')}>
            <Input label={t.from} {...fieldState('from')} nativeInputProps={{ type: 'date', name: 'from', ...field('from') }} />
          </div>
          <div className={fr.cx('fr-fieldset__element', 'fr-col-12', 'fr-col-md-4')}>
            <Input label={t.to} {...fieldState('to')} nativeInputProps={{ type: 'date', name: 'to', ...field('to') }} />
          </div>
          <div className={fr.cx('fr-fieldset__element', 'fr-col-12', 'fr-col-md-4')}>
            <Input label={t.staleDays} {...fieldState('staleDays')} nativeInputProps={{ type: 'number', name: 'staleDays', min: 1, max: 365, inputMode: 'numeric', ...field('staleDays') }} />
          </div>
          <div className={fr.cx('fr-fieldset__element')}>
            <Button type="submit">{t.apply}</Button>
          </div>
        </fieldset>
      </form>
      {data.status === 'loading' && <p aria-live="polite">{dashboardTexts.loading}</p>}
      {data.status === 'error' && !hasFieldErrors && <Alert as="h2" severity="error" title={dashboardTexts.errorTitle} description={data.error instanceof ApiError && data.error.status === 403 ? t.forbidden : data.error.message} />}
      {d && (
        <>
          <h2>{dashboardTexts.keyFigures}</h2>
          <p>{t.period(date(d.period.from), date(d.period.to))}</p>
          {d.asOf ? (
            <p className={fr.cx('fr-text--sm')}>
              <strong>{t.asOf(asOfText(d.asOf))}</strong>. {t.asOfNote}
            </p>
          ) : (
            <Alert severity="info" small description={t.notComputedYet} className={fr.cx('fr-mb-2w')} />
          )}
          <KeyFigures
            figures={[
              { label: t.totals.active, value: d.totals.activeProfessionals },
              { label: t.totals.registrations, value: d.totals.registrations },
              { label: t.totals.stale(d.staleDays), value: d.totals.stalePending },
              { label: t.totals.structures, value: d.staleStructures.length },
            ]}
          />
          <h2>{dashboardTexts.details}</h2>
          <Figure
            caption={t.byRegion.caption}
            headers={t.byRegion.headers}
            rows={d.byRegion.map((r) => [regionOf(r), String(r.activeProfessionals), String(r.registrations)])}
            file="pilotage-par-region.csv"
            chart={areaBars(d.byRegion, regionOf)}
          />
          <Figure
            caption={d.byDepartment.length > chartedDepartments ? `${t.byDepartment.caption} ${t.byDepartment.chartTop(chartedDepartments)}` : t.byDepartment.caption}
            headers={t.byDepartment.headers}
            rows={d.byDepartment.map((r) => [departmentOf(r), r.regionCode ? regionName(r.regionCode) : t.notSet, String(r.activeProfessionals), String(r.registrations)])}
            file="pilotage-par-departement.csv"
            chart={areaBars(topDepartments, departmentOf)}
          />
          <Figure
            caption={t.stale.caption(d.staleDays)}
            headers={t.stale.headers}
            rows={d.staleStructures.map((s) => [s.egFiness, s.name, s.ejName ? `${s.ejName} (${s.ejFiness})` : (s.ejFiness ?? '—'), s.departmentCode ? departmentName(s.departmentCode) : t.notSet, String(s.pending), String(s.stale), String(s.oldestDays)])}
            file="pilotage-demandes-anciennes.csv"
            chart={{ kind: 'bars', series: [t.stale.series], data: d.staleStructures.slice(0, chartedDepartments).map((s) => ({ label: s.name, values: [s.oldestDays] })) }}
          />
        </>
      )}
    </>
  );
}
