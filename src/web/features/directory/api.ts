import type { extractionInfo, practitionerPage, publicPractitioner, publicSituation } from '../../../server/modules/directory/schemas.ts';
import { withQuery } from '../../api/client.ts';
import type { ResponseOf } from '../../api/json.ts';
import { paths } from '../../app/routes.ts';

/** API types of the public directory, from its schemas (src/server/modules/directory/schemas.ts). */
export type DirectorySituation = ResponseOf<typeof publicSituation>;
export type DirectoryPractitioner = ResponseOf<typeof publicPractitioner>;
/** `totalIsLowerBound`: more than `total` (1,000) match; `next`: cursor of the next page (keyset paging), null on the last one. */
export type DirectoryPage = ResponseOf<typeof practitionerPage>;
export interface DirectorySearch {
  q: string;
  profession: string;
  role: string;
  structure: string;
  department: string;
  /** The `next` cursor of the page before; '' on the first page. */
  after: string;
  /** Number of the page shown (for display: the cursor says where it starts). */
  page: number;
}
export const directoryPageSize = 10;
/** The web paths live with the others in app/routes.ts. */
export const directoryPaths = { search: paths.directory, card: paths.practitioner };
export const directorySearchUrl = (s: DirectorySearch) =>
  withQuery('/api/directory/practitioners', {
    q: s.q || undefined,
    profession: s.profession || undefined,
    role: s.role || undefined,
    structure: s.structure || undefined,
    department: s.department || undefined,
    after: s.after || undefined,
    pageSize: directoryPageSize,
  });
export const practitionerUrl = (rpps: string) => `/api/directory/practitioners/${encodeURIComponent(rpps)}`;
export const displayName = (p: Pick<DirectoryPractitioner, 'family' | 'given'>) => [p.given, p.family].filter(Boolean).join(' ');

/** An extraction file of the directory (PS_LibreAcces zip), as GET /api/directory/extractions lists it. */
export type DirectoryExtraction = ResponseOf<typeof extractionInfo>;
export const directoryExtractionsUrl = '/api/directory/extractions';
