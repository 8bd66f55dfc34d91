import type { FhirDeps } from './deps.ts';
import { createFhirReads } from './read-by-id.ts';
import { createFhirSearch } from './search-bundle.ts';

/** The FHIR directory's use cases: searches (search-bundle.ts) and reads by id (read-by-id.ts). */
export function createFhirService(deps: FhirDeps) {
  return { ...createFhirSearch(deps), ...createFhirReads(deps) };
}
export type FhirService = ReturnType<typeof createFhirService>;
