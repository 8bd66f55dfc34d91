import type { FhirResource } from './resources.ts';

const subsetted = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' };

/**
 * `_elements` (searches and reads): the elements asked for, with the ones the profiles require
 * (identifier, active) so a subset stays valid; a resource trimmed this way is tagged SUBSETTED
 * (FHIR R4 search §3.1.1.5.9), one left whole is not.
 */
export function applyElements(resource: FhirResource, elements: string[] | null): FhirResource {
  if (!elements) return resource;
  const kept: FhirResource = { resourceType: resource.resourceType, id: resource.id };
  for (const e of elements) if (e in resource && e !== 'meta') kept[e] = resource[e];
  for (const e of ['identifier', 'active']) if (e in resource) kept[e] = resource[e];
  const trimmed = Object.keys(resource).some((k) => k !== 'meta' && !(k in kept));
  if (!trimmed) return resource;
  const tags = (resource.meta?.tag as unknown[] | undefined) ?? [];
  kept.meta = { ...(resource.meta ?? {}), tag: [...tags, subsetted] };
  return kept;
}
