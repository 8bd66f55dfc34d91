import { fr } from '@codegouvfr/react-dsfr';
import { Download } from '@codegouvfr/react-dsfr/Download';
import { useResource } from '../../api/useResource.ts';
import { type DirectoryExtraction, directoryExtractionsUrl } from './api.ts';
import { directoryTexts } from './texts.ts';

const t = directoryTexts.downloads;

/** "Téléchargement": the latest full extraction file and the latest daily delta (public, no sign-in). */
export function DirectoryDownloads() {
  const files = useResource<{ items: DirectoryExtraction[] }>(directoryExtractionsUrl);
  const latest = (kind: DirectoryExtraction['kind']) => (files.status === 'success' ? files.data.items.find((f) => f.kind === kind) : undefined);
  const shown = [latest('full'), latest('delta')].filter((f): f is DirectoryExtraction => f !== undefined);
  return (
    <section aria-labelledby="directory-downloads-title" className={fr.cx('fr-mt-6w')}>
      <h2 id="directory-downloads-title">{t.title}</h2>
      <p>{t.lead}</p>
      {files.status === 'loading' && <p role="status">{t.loading}</p>}
      {files.status === 'error' && <p className={fr.cx('fr-error-text')}>{t.error}</p>}
      {files.status === 'success' && shown.length === 0 && <p>{t.empty}</p>}
      {shown.map((f) => (
        <Download key={f.id} label={t.label(f.kind)} details={t.details(f)} linkProps={{ to: f.downloadUrl, reloadDocument: true }} />
      ))}
    </section>
  );
}
