import { paths } from '../../app/routes.ts';
import { withQuery } from '../../api/client.ts';

export interface DirectorySituation {
  id: string;
  egFiness: string | null;
  egName: string | null;
  ejFiness: string | null;
  departmentCode: string | null;
  professionCode: string | null;
  professionLabel: string | null;
  roleCode: string | null;
  roleLabel: string | null;
  modeCode: string | null;
  startDate: string | null;
  endDate: string | null;
  active: boolean;
}
export interface DirectoryPractitioner {
  rpps: string;
  idnps: string;
  family: string | null;
  given: string | null;
  active: boolean;
  situations: DirectorySituation[];
}
export interface DirectoryPage {
  items: DirectoryPractitioner[];
  total: number;
  /** More than `total` (1,000) match: the server stops counting there. */
  totalIsLowerBound: boolean;
  /** Cursor of the next page (keyset paging), null on the last one. */
  next: string | null;
  page: number;
  pageSize: number;
}
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
export interface DirectoryExtraction {
  id: string;
  kind: 'full' | 'delta';
  generatedAt: string;
  fileName: string;
  sizeBytes: number;
  lineCount: number;
  withdrawnCount: number;
  downloadUrl: string;
}
export const directoryExtractionsUrl = '/api/directory/extractions';
