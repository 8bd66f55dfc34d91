import type { Selectable } from 'kysely';
import type { DirectoryPractitionerRoleTable, DirectoryPractitionerTable, StructureRow } from '../../db/schema.ts';

/**
 * Directory rows → FHIR R4 resources of the ANS API v2 public profiles: as-dp-* of the IG
 * « Annuaire Santé » 1.1.0 (ans.fhir.fr.annuaire) on FR Core 2.1.0, checked element by element
 * against their StructureDefinitions (docs/directory-and-fhir.md "Conformance").
 * The one place rows become resources: only the columns read here can ever leave the server.
 */
export const systems = {
  idnps: 'urn:oid:1.2.250.1.71.4.2.1',
  rpps: 'https://rpps.esante.gouv.fr',
  idnst: 'urn:oid:1.2.250.1.71.4.2.2',
  finess: 'https://finess.esante.gouv.fr',
  siret: 'https://sirene.fr',
  identifierType: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203',
  organizationType: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-3307',
  r291: 'https://mos.esante.gouv.fr/NOS/TRE_R291-AutreProfession/FHIR/TRE-R291-AutreProfession',
  r09: 'https://mos.esante.gouv.fr/NOS/TRE_R09-CategorieProfessionnelle/FHIR/TRE-R09-CategorieProfessionnelle',
  r85: 'https://mos.esante.gouv.fr/NOS/TRE_R85-RolePriseCharge/FHIR/TRE-R85-RolePriseCharge',
  r22: 'https://mos.esante.gouv.fr/NOS/TRE_R22-GenreActivite/FHIR/TRE-R22-GenreActivite',
  r23: 'https://mos.esante.gouv.fr/NOS/TRE_R23-ModeExercice/FHIR/TRE-R23-ModeExercice',
  r66: 'https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement',
  r72: 'https://mos.esante.gouv.fr/NOS/TRE_R72-FinessStatutJuridique/FHIR/TRE-R72-FinessStatutJuridique',
  r13: 'https://mos.esante.gouv.fr/NOS/TRE_R13-Commune/FHIR/TRE-R13-Commune',
} as const;

/** France in TRE_R20-Pays (COG), the code system of JDV_J256-Pays that as-address-extended binds Address.country to. */
export const franceCountryCode = '99100';

const ig = 'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition';
export const profiles = {
  Practitioner: [`${ig}/as-dp-practitioner`, 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-practitioner'],
  PractitionerRole: [`${ig}/as-dp-practitionerrole`, 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-practitioner-role'],
  Organization: [`${ig}/as-dp-organization`, 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-organization'],
} as const;
const organizationTypesExtension = `${ig}/as-ext-organization-types`;
const inseeCodeExtension = 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code';
const metaSource = 'https://annuaire.esante.gouv.fr';

export type ResourceType = keyof typeof profiles;
export type FhirResource = { resourceType: string; id: string; meta?: { versionId?: string; lastUpdated?: string; [k: string]: unknown }; [k: string]: unknown };

const typed = (code: string) => ({ coding: [{ system: systems.identifierType, code }] });

function meta(type: ResourceType, versionId: number | string, lastUpdated: Date) {
  return { versionId: String(versionId), lastUpdated: lastUpdated.toISOString(), source: metaSource, profile: [...profiles[type]] };
}

export const organizationId = (finess: string) => `org-${finess}`;
export const finessOfOrganizationId = (id: string) => (id.startsWith('org-') ? id.slice(4) : null);

export type PractitionerRow = Pick<Selectable<DirectoryPractitionerTable>, 'id' | 'rpps' | 'family' | 'given' | 'active' | 'withdrawn' | 'versionId' | 'lastUpdated'>;
type RoleRow = Selectable<DirectoryPractitionerRoleTable>;

export function practitionerIdentifiers(rpps: string) {
  return [
    { use: 'official', type: typed('IDNPS'), system: systems.idnps, value: `8${rpps}` },
    { use: 'official', type: typed('RPPS'), system: systems.rpps, value: rpps },
  ];
}

export function toPractitioner(row: PractitionerRow): FhirResource {
  const base = {
    resourceType: 'Practitioner',
    id: row.id,
    meta: meta('Practitioner', row.versionId, row.lastUpdated),
    language: 'fr',
    identifier: practitionerIdentifiers(row.rpps),
    active: row.active,
  };
  // Withdrawn (identity rejected, every situation deleted): identifiers only, as the ANS server does.
  if (row.withdrawn) return base;
  const name: Record<string, unknown> = { use: 'usual' };
  if (row.family) name.family = row.family;
  if (row.given) name.given = [row.given];
  return {
    ...base,
    ...(row.family || row.given ? { name: [name] } : {}),
    // Professionals à rôle: profession "acteur caractérisé par rôle" (TRE_R291 99); their RPPS+
    // "profession" (TRE_R85) is the fonction of each PractitionerRole (FHIR.md §1.1).
    qualification: [
      {
        code: {
          coding: [
            { system: systems.r291, code: '99', display: 'Acteur participant au système de santé caractérisé par rôle' },
            { system: systems.r09, code: 'C', display: 'Civil' },
          ],
        },
      },
    ],
  };
}

export function toPractitionerRole(row: RoleRow): FhirResource {
  const base = {
    resourceType: 'PractitionerRole',
    id: row.id,
    meta: meta('PractitionerRole', row.versionId, row.lastUpdated),
    language: 'fr',
    identifier: [{ system: systems.rpps, value: row.id }],
    active: row.active,
    practitioner: { reference: `Practitioner/${row.practitionerId}` },
  };
  if (row.withdrawn) return base;
  const code = [];
  if (row.roleCode) code.push({ coding: [{ system: systems.r22, code: row.roleCode, ...(row.roleLabel ? { display: row.roleLabel } : {}) }] });
  if (row.modeCode) code.push({ coding: [{ system: systems.r23, code: row.modeCode, ...(row.modeCode === 'S' ? { display: 'Salarié' } : {}) }] });
  if (row.professionCode) {
    code.push({ coding: [{ system: systems.r85, code: row.professionCode, ...(row.professionLabel ? { display: row.professionLabel } : {}) }] });
  }
  return {
    ...base,
    ...(row.egFiness ? { organization: { reference: `Organization/${organizationId(row.egFiness)}`, ...(row.egName ? { display: row.egName } : {}) } } : {}),
    ...(code.length > 0 ? { code } : {}),
  };
}

export type OrganizationRow = Pick<
  StructureRow,
  | 'finess'
  | 'kind'
  | 'ejFiness'
  | 'name'
  | 'longName'
  | 'categoryCode'
  | 'categoryLabel'
  | 'legalStatusCode'
  | 'legalStatusLabel'
  | 'siret'
  | 'siren'
  | 'addressLine'
  | 'postalCode'
  | 'city'
  | 'inseeCode'
  | 'departmentCode'
  | 'phone'
  | 'openedOn'
  | 'closedOn'
  | 'updatedAt'
>;

export const organizationVersion = (row: Pick<StructureRow, 'updatedAt'>) => String(row.updatedAt.getTime());

export function toOrganization(row: OrganizationRow, today: string): FhirResource {
  const eg = row.kind === 'EG';
  // as-organization 1.1.0: `type` slices organizationType and statutJuridiqueINSEE carry the
  // as-ext-organization-types extension (value bound, required, to as-vs-organization-types);
  // categorieEtablissementRASS has none (no such code in as-cs-organization-types).
  const typeSlice = (slice: string | null, system: string, code: string, display?: string | null) => ({
    ...(slice ? { extension: [{ url: organizationTypesExtension, valueCode: slice }] } : {}),
    coding: [{ system, code, ...(display ? { display } : {}) }],
  });
  const identifier: Record<string, unknown>[] = [
    { use: 'official', type: typed('IDNST'), system: systems.idnst, value: `1${row.finess}` },
    { use: 'official', type: typed(eg ? 'FINEG' : 'FINEJ'), system: systems.finess, value: row.finess },
  ];
  if (row.siret) identifier.push({ use: 'official', type: typed('SIRET'), system: systems.siret, value: row.siret });
  // fr-core-organization identifier:siren (type SIREN, system https://sirene.fr), must-support in as-dp-organization 1.2.0;
  // the identifier search already matched it.
  if (row.siren) identifier.push({ use: 'official', type: typed('SIREN'), system: systems.siret, value: row.siren });
  const type = [typeSlice('organizationType', systems.organizationType, eg ? 'GEOGRAPHICAL-ENTITY' : 'LEGAL-ENTITY')];
  if (eg && row.categoryCode) type.push(typeSlice(null, systems.r66, row.categoryCode, row.categoryLabel));
  if (!eg && row.legalStatusCode) type.push(typeSlice('statutJuridiqueINSEE', systems.r72, row.legalStatusCode, row.legalStatusLabel));
  const period: Record<string, string> = {};
  if (row.openedOn) period.start = row.openedOn;
  if (row.closedOn) period.end = row.closedOn;
  // as-address-extended 1.1.0: district (must-support) bound to JDV_J258-Departement (COG
  // department code, as stored), country bound to JDV_J256-Pays (TRE_R20, COG: France 99100).
  const address: Record<string, unknown> = { use: 'work' };
  if (row.inseeCode) address.extension = [{ url: inseeCodeExtension, valueCoding: { system: systems.r13, code: row.inseeCode } }];
  if (row.addressLine) address.line = [row.addressLine];
  if (row.city) address.city = row.city;
  if (row.departmentCode) address.district = row.departmentCode;
  if (row.postalCode) address.postalCode = row.postalCode;
  address.country = franceCountryCode;
  return {
    resourceType: 'Organization',
    id: organizationId(row.finess),
    meta: meta('Organization', organizationVersion(row), row.updatedAt),
    language: 'fr',
    ...(Object.keys(period).length > 0 ? { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/organization-period', valuePeriod: period }] } : {}),
    identifier,
    active: !row.closedOn || row.closedOn > today,
    type,
    name: row.name,
    ...(row.longName && row.longName !== row.name ? { alias: [row.longName] } : {}),
    ...(row.phone ? { telecom: [{ system: 'phone', value: row.phone, use: 'work' }] } : {}),
    address: [address],
    ...(eg && row.ejFiness ? { partOf: { reference: `Organization/${organizationId(row.ejFiness)}` } } : {}),
  };
}
