import { withQuery } from '../../api/client.ts';
import type { StructureDetail, StructureSummary } from '../../../server/modules/structures/schemas.ts';

export type { StructureDetail, StructureSummary };

export interface StructurePage {
  items: StructureSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export const searchPageSize = 10;

export interface StructureSearch {
  q: string;
  department: string;
  page: number;
}

export const structureSearchUrl = (s: StructureSearch) =>
  withQuery('/api/structures', { q: s.q, department: s.department, page: s.page > 1 ? s.page : undefined, pageSize: searchPageSize });

export const structureUrl = (finess: string) => `/api/structures/${encodeURIComponent(finess)}`;
