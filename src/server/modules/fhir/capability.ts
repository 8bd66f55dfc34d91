import { defaultCount, includes, maxCount, searchParams } from './search.ts';
import { profiles, type ResourceType } from './resources.ts';

/** The IG « Annuaire Santé » (ans.fhir.fr.annuaire 1.1.0) and its server CapabilityStatement, which this server implements a part of. */
const ig = 'https://interop.esante.gouv.fr/ig/fhir/annuaire';
export const annuaireImplementationGuide = `${ig}/ImplementationGuide/ans.fhir.fr.annuaire`;
export const annuaireServerCapabilityStatement = `${ig}/CapabilityStatement/AsServerDPCapabilityStatement`;

/**
 * The SearchParameter each parameter follows: the FHIR R4 one, or the IG's where the ANS
 * CapabilityStatement (AsServerDPCapabilityStatement 1.1.0) gives one (`qualification-code`).
 */
function definitionOf(type: ResourceType, name: string): string {
  if (name.startsWith('_')) return `http://hl7.org/fhir/SearchParameter/Resource-${name.slice(1)}`;
  if (type === 'Practitioner' && (name === 'family' || name === 'given')) return `http://hl7.org/fhir/SearchParameter/individual-${name}`;
  if (name === 'qualification-code') return `${ig}/SearchParameter/as-sp-qualification-code`;
  return `http://hl7.org/fhir/SearchParameter/${type}-${name}`;
}

/** GET /fhir/metadata: built from the same tables as the parser, so it states what is implemented. */
export function capabilityStatement(baseUrl: string, date: string) {
  const types = Object.keys(searchParams) as ResourceType[];
  // FHIR R4 JSON (json.html §2.6.2): an array is never empty, so an empty list is left out.
  const nonEmpty = <K extends string>(key: K, list: readonly string[]) => (list.length > 0 ? { [key]: [...list] } : {});
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
      'Données publiques de l’annuaire des professionnels à rôle enregistrés au RPPS, selon les profils as-dp-* du guide « Annuaire Santé » 1.1.0 ' +
      `(API Annuaire Santé v2, ANS, FR Core 2.1.0). Lecture seule ; pagination par liens « next » (_count par défaut ${defaultCount}, au plus ${maxCount}).`,
    kind: 'instance',
    // A part of the ANS server's statement: Practitioner, PractitionerRole and Organization, read and search.
    instantiates: [annuaireServerCapabilityStatement],
    software: { name: 'RPPS+', version: '0.1.0' },
    implementation: { description: 'RPPS+ FHIR directory', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    implementationGuide: [annuaireImplementationGuide],
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
          ...nonEmpty('searchInclude', includes[type].include),
          ...nonEmpty('searchRevInclude', includes[type].revinclude),
          searchParam: Object.entries(searchParams[type]).map(([name, def]) => ({
            name,
            definition: definitionOf(type, name),
            type: def.type,
            documentation: def.documentation + ('modifiers' in def ? ` (modificateurs : ${def.modifiers.map((m: string) => `:${m}`).join(', ')})` : ''),
          })),
        })),
      },
    ],
  };
}
