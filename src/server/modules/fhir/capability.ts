import { defaultCount, includes, maxCount, searchParams } from './search.ts';
import { profiles, type ResourceType } from './resources.ts';

/** GET /fhir/metadata: built from the same tables as the parser, so it states what is implemented. */
export function capabilityStatement(baseUrl: string, date: string) {
  const types = Object.keys(searchParams) as ResourceType[];
  return {
    resourceType: 'CapabilityStatement',
    id: 'rpps-plus-directory',
    url: `${baseUrl}/metadata`,
    name: 'RppsPlusDirectory',
    title: 'RPPS+ — annuaire public (données publiques, API FHIR R4)',
    status: 'active',
    date,
    publisher: 'RPPS+',
    description:
      'Données publiques de l’annuaire des professionnels à rôle enregistrés au RPPS, selon les profils as-dp-* de l’API Annuaire Santé v2 ' +
      `(ANS, FR Core 2.2). Lecture seule ; pagination par liens « next » (_count par défaut ${defaultCount}, au plus ${maxCount}).`,
    kind: 'instance',
    software: { name: 'RPPS+', version: '0.1.0' },
    implementation: { description: 'RPPS+ FHIR directory', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation: 'Paramètres inconnus ignorés, sauf avec « Prefer: handling=strict » (réponse 400).',
        resource: types.map((type) => ({
          type,
          profile: profiles[type][0],
          supportedProfile: [...profiles[type]],
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          versioning: 'versioned',
          readHistory: false,
          conditionalRead: 'not-match',
          searchInclude: includes[type].include,
          searchRevInclude: includes[type].revinclude,
          searchParam: Object.entries(searchParams[type]).map(([name, def]) => ({
            name,
            definition:
              name.startsWith('_') ? `http://hl7.org/fhir/SearchParameter/Resource-${name.slice(1)}` : undefined,
            type: def.type,
            documentation: def.documentation + ('modifiers' in def ? ` (modificateurs : ${def.modifiers.map((m: string) => `:${m}`).join(', ')})` : ''),
          })).map((p) => (p.definition ? p : { name: p.name, type: p.type, documentation: p.documentation })),
        })),
      },
    ],
  };
}
