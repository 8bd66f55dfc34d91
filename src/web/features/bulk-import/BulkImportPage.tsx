import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Download } from '@codegouvfr/react-dsfr/Download';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '../../app/Table.tsx';
import { Upload } from '@codegouvfr/react-dsfr/Upload';
import { useEffect, useState } from 'react';
import { ApiError, getJson } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { bulkImportApi, type CheckReport, type DeclarationName, declarationNames, type Progress, saveBlob, sendFile, type StructureChoice } from './api.ts';
import { bulkImportTexts as t } from './texts.ts';

const problemMessage = (err: unknown) => {
  if (err instanceof ApiError) {
    const rows = (err.problem.errors ?? []).map((e) => e.detail).slice(0, 20);
    return [err.message, ...rows].join(' ');
  }
  return err instanceof Error ? err.message : String(err);
};

/** Bulk import: template, dry run with its per-row report, commit with live progress (issue 10). */
export function BulkImportPage() {
  usePageTitle(t.pageTitle);
  const structures = useResource<{ items: StructureChoice[] }>(`${bulkImportApi}/structures`);
  const [ej, setEj] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<'check' | 'commit' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<CheckReport | null>(null);
  // Default: nothing ticked, each valid row becomes a pending request (docs/bulk-import.md).
  const [declared, setDeclared] = useState<ReadonlySet<DeclarationName>>(new Set());
  const tick = (name: DeclarationName, on: boolean) =>
    setDeclared((d) => {
      const next = new Set(d);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });
  const outcome = declared.size === 0 ? 'pending' : declared.size === declarationNames.length ? 'register' : 'incomplete';
  const [importId, setImportId] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);

  const items = structures.status === 'success' ? structures.data.items : [];
  const chosenEj = ej || (items.length === 1 ? items[0]!.ejFiness : '');

  useEffect(() => {
    if (!importId) return;
    let stopped = false;
    const poll = async () => {
      try {
        const p = await getJson<Progress>(`${bulkImportApi}/${importId}`);
        if (stopped) return;
        setProgress(p);
        if (p.status !== 'done') setTimeout(poll, 1000);
      } catch (err) {
        if (!stopped) setError(problemMessage(err));
      }
    };
    void poll();
    return () => {
      stopped = true;
    };
  }, [importId]);

  const check = async () => {
    if (!file || !chosenEj) return;
    setBusy('check');
    setError(null);
    setReport(null);
    try {
      setReport((await sendFile<CheckReport>(file, { ejFiness: chosenEj, mode: 'dry-run' })) as CheckReport);
    } catch (err) {
      setError(problemMessage(err));
    } finally {
      setBusy(null);
    }
  };
  const downloadReport = async () => {
    if (!file) return;
    try {
      saveBlob((await sendFile(file, { ejFiness: chosenEj, mode: 'dry-run', format: 'csv' })) as Blob, 'rapport-verification.csv');
    } catch (err) {
      setError(problemMessage(err));
    }
  };
  const commit = async () => {
    if (!file) return;
    setBusy('commit');
    setError(null);
    try {
      const started = (await sendFile<Progress>(file, { ejFiness: chosenEj, mode: 'commit', declarations: [...declared] })) as Progress;
      setProgress(started);
      setImportId(started.id);
    } catch (err) {
      setError(problemMessage(err));
    } finally {
      setBusy(null);
    }
  };
  const restart = () => {
    setFile(null);
    setReport(null);
    setImportId(null);
    setProgress(null);
    setDeclared(new Set());
  };

  const invalidRows = report?.report.filter((r) => r.status === 'invalid') ?? [];
  const total = progress ? progress.rows - progress.invalid : 0;
  const processed = progress ? progress.imported + progress.failed : 0;

  return (
    <>
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
      <Download label={t.template} details={t.templateDetail} linkProps={{ to: `${bulkImportApi}/template.csv`, reloadDocument: true, download: 'modele-import-rpps.csv' }} />
      <Download label={t.templateXlsx} details={t.templateXlsxDetail} linkProps={{ to: `${bulkImportApi}/template.xlsx`, reloadDocument: true, download: 'modele-import-rpps.xlsx' }} />
      <section aria-labelledby="bulk-codes">
        <h2 id="bulk-codes" className={fr.cx('fr-h6')}>
          {t.codesTitle}
        </h2>
        <p>{t.codesLead}</p>
        <ul className={fr.cx('fr-raw-list')}>
          {t.codeLists.map((c) => (
            <li key={c.list}>
              <Download label={c.label} details={t.codesDetail} linkProps={{ to: `${bulkImportApi}/codes/${c.list}`, reloadDocument: true, download: `codes-${c.list}.csv` }} />
            </li>
          ))}
        </ul>
      </section>

      {structures.status === 'loading' && <p aria-live="polite">{t.loading}</p>}
      {structures.status === 'error' && <Alert as="h2" severity="error" title={t.errorTitle} description={structures.error.message} />}
      {structures.status === 'success' && items.length === 0 && <Alert severity="info" small description={t.noStructure} />}

      {items.length > 0 && !importId && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void check();
          }}
        >
          <Select label={t.structure} hint={t.structureHint} nativeSelectProps={{ value: chosenEj, onChange: (e) => setEj(e.target.value), required: true }}>
            <option value="" disabled>
              {t.choose}
            </option>
            {items.map((s) => (
              <option key={s.ejFiness} value={s.ejFiness}>
                {s.name} — FINESS {s.ejFiness}
              </option>
            ))}
          </Select>
          <Upload
            label={t.file}
            hint={t.formatHint}
            nativeInputProps={{
              accept: '.csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
              required: true,
              onChange: (e) => {
                setFile(e.target.files?.[0] ?? null);
                setReport(null);
              },
            }}
          />
          <Button type="submit" className={fr.cx('fr-mt-2w')} disabled={!file || !chosenEj || busy !== null}>
            {busy === 'check' ? t.checking : t.check}
          </Button>
        </form>
      )}

      <div aria-live="polite">
        {error && <Alert as="h2" severity="error" title={t.errorTitle} description={error} className={fr.cx('fr-mt-3w')} />}
      </div>

      {report && !importId && (
        <section className={fr.cx('fr-mt-4w')} aria-labelledby="bulk-summary">
          <h2 id="bulk-summary">{t.summaryTitle}</h2>
          <p>{t.summary(report.rows, report.valid, report.invalid)}</p>
          {invalidRows.length === 0 ? (
            <Alert severity="success" small description={t.allValid} />
          ) : (
            <>
              <Table
                caption={t.tableCaption}
                headers={[...t.headers]}
                data={invalidRows.flatMap((r) => r.errors.map((e) => [String(r.rowNumber), r.person ?? '', e.column || t.wholeRow, e.detail]))}
              />
              <Button priority="secondary" onClick={() => void downloadReport()}>
                {t.downloadReport}
              </Button>
            </>
          )}
          {report.valid > 0 && (
            <form
              className={fr.cx('fr-mt-4w')}
              onSubmit={(e) => {
                e.preventDefault();
                void commit();
              }}
            >
              {report.invalid > 0 && <p>{t.invalidSkipped}</p>}
              <Checkbox
                legend={t.declarationsLegend}
                hintText={t.declarationsHint}
                state={outcome === 'incomplete' ? 'error' : 'default'}
                stateRelatedMessage={outcome === 'incomplete' ? t.outcomeIncomplete : undefined}
                options={declarationNames.map((name) => ({
                  label: name === 'accurateAndInformed' ? t.accurate : t.metInPerson,
                  nativeInputProps: { name: 'declarations', value: name, checked: declared.has(name), onChange: (e) => tick(name, e.target.checked) },
                }))}
              />
              <div aria-live="polite">
                {outcome !== 'incomplete' && <p className={fr.cx('fr-text--bold')}>{outcome === 'pending' ? t.outcomePending(report.valid) : t.outcomeRegister(report.valid)}</p>}
              </div>
              <Button type="submit" disabled={outcome === 'incomplete' || busy !== null}>
                {busy === 'commit' ? t.committing : t.commit(report.valid)}
              </Button>
            </form>
          )}
        </section>
      )}

      {progress && (
        <section className={fr.cx('fr-mt-4w')} aria-labelledby="bulk-progress">
          <h2 id="bulk-progress">{progress.status === 'done' ? t.doneTitle : t.progressTitle}</h2>
          <label htmlFor="bulk-progress-bar" className={fr.cx('fr-label')}>
            {t.progressLabel}
          </label>
          <progress id="bulk-progress-bar" max={total} value={processed} style={{ width: '100%', height: '1rem', accentColor: 'var(--background-action-high-blue-france)' }}>
            {t.progress(processed, total)}
          </progress>
          <div aria-live="polite">
            <p className={fr.cx('fr-mb-1w')}>{t.progress(processed, total)}</p>
            <p className={fr.cx('fr-mb-1w')}>{progress.mode === 'pending' ? t.countsPending(progress.imported, progress.failed) : t.counts(progress.imported, progress.failed)}</p>
            {progress.status !== 'done' && progress.etaSeconds !== null && <p>{t.eta(progress.etaSeconds)}</p>}
            {progress.status === 'done' && <Alert severity={progress.failed > 0 ? 'warning' : 'success'} small description={(progress.mode === 'pending' ? t.donePending : t.done)(progress.imported, progress.failed, progress.invalid)} />}
          </div>
          {progress.status !== 'done' && <p className={fr.cx('fr-text--sm')}>{t.resumeNote}</p>}
          {progress.status === 'done' && (
            <>
              <Download label={t.finalReport} details="CSV" linkProps={{ to: `${bulkImportApi}/${progress.id}/report.csv`, reloadDocument: true, download: 'rapport-import.csv' }} />
              <Button priority="secondary" onClick={restart}>
                {t.restart}
              </Button>
            </>
          )}
        </section>
      )}
    </>
  );
}
