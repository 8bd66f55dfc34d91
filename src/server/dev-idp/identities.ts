import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Database } from '../db/database.ts';

export const identitiesFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/identities.json');

const pscIdentity = z.object({
  key: z.string(),
  description: z.string(),
  idnps: z.string(),
  rpps: z.string().nullable(),
  authMode: z.string(),
  card: z.string().nullable(),
  civility: z.string(),
  familyName: z.string(),
  givenName: z.string(),
  professionCode: z.string(),
  organization: z.object({ id: z.string(), name: z.string() }),
  secondSite: z.object({ id: z.string(), name: z.string() }).optional(),
  /** A registered professional's exercices as the RPPS holds them (e-CPS sign-in); else built from the fields above. */
  exercices: z
    .array(
      z.object({
        professionCode: z.string(),
        exerciseLastName: z.string(),
        exerciseFirstName: z.string(),
        activities: z.array(
          z.object({
            roleCode: z.string(),
            modeCode: z.string(),
            egFiness: z.string(),
            egName: z.string().nullable(),
            ejFiness: z.string().nullable(),
            postalCode: z.string().nullable(),
            city: z.string().nullable(),
            inseeCode: z.string().nullable(),
            departmentCode: z.string().nullable(),
          }),
        ),
      }),
    )
    .optional(),
  roles: z.array(
    z.object({
      role: z.enum(['operator', 'legal_representative', 'mandataire', 'gestionnaire']),
      ejFiness: z.string().optional(),
      egFiness: z.string().optional(),
    }),
  ),
});
const fcIdentity = z.object({
  key: z.string(),
  description: z.string(),
  sub: z.string(),
  given_name: z.string(),
  family_name: z.string(),
  preferred_username: z.string(),
  birthdate: z.string(),
  gender: z.enum(['male', 'female']),
  birthplace: z.string(),
  birthcountry: z.string(),
  email: z.string(),
});
const fixture = z.object({ psc: z.array(pscIdentity), franceconnect: z.array(fcIdentity) });

export type PscIdentity = z.infer<typeof pscIdentity>;
export type FcIdentity = z.infer<typeof fcIdentity>;
export type DemoIdentities = z.infer<typeof fixture>;

export function loadDemoIdentities(file = identitiesFile): DemoIdentities {
  return fixture.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** The fixed prefix of PSC subjects (`f:<uuid>:<IDNPS>`), as observed on the real service. */
const pscSubjectPrefix = 'f:550dc1c8-d97b-4b1e-ac8c-8eb4471cf9dd:';
export const pscSubject = (idnps: string) => `${pscSubjectPrefix}${idnps}`;

/** The 30 string fields of a PSC activity; absent values are "" as on the real service. */
function activity(site: { id: string; name: string }, professionCode: string): Record<string, string> {
  const finess = /^\d{9}$/.test(site.id) ? site.id : '';
  return {
    codeModeExercice: 'S',
    codeSecteurDactivite: 'SA17',
    codeSectionPharmacien: '',
    codeRole: professionCode ? 'FON-01' : '',
    codeGenreActivite: 'GENR01',
    codeAEApe: '',
    numeroSiretSite: '',
    numeroSirenSite: '',
    numeroFinessSite: finess,
    numeroFinessetablissementJuridique: '',
    identifiantTechniqueDeLaStructure: finess ? `F${finess}` : site.id,
    raisonSocialeSite: site.name,
    enseigneCommercialeSite: '',
    complementDestinataire: '',
    complementPointGeographique: '',
    numeroVoie: '12',
    indiceRepetitionVoie: '',
    codeTypeDeVoie: 'R',
    libelleTypeDeVoie: 'Rue',
    libelleVoie: 'DES CERISIERS FICTIFS',
    mentionDistribution: '',
    bureauCedex: '69100 VILLEURBANNE',
    codePostal: '69100',
    codeCommune: '69266',
    codePays: '',
    telephone: '',
    telephone2: '',
    telecopie: '',
    adresseEMail: '',
    codeDepartement: '69',
  };
}

type RegisterExercice = NonNullable<PscIdentity['exercices']>[number];

/**
 * A PSC activity from a situation of the register, as the real PSC builds it from the RPPS:
 * the situation's role in `codeGenreActivite` (TRE_R22: GENR08..GENR12, the RPPS+ roles that
 * decide the DMP rights), its mode, its EG and EJ. `codeRole` (TRE_R21 fonction) is not
 * collected by RPPS+: "".
 */
function registerActivity(a: RegisterExercice['activities'][number]): Record<string, string> {
  return {
    ...activity({ id: a.egFiness, name: a.egName ?? a.egFiness }, ''),
    codeModeExercice: a.modeCode,
    codeRole: '',
    codeGenreActivite: a.roleCode,
    numeroFinessetablissementJuridique: a.ejFiness ?? '',
    numeroVoie: '',
    codeTypeDeVoie: '',
    libelleTypeDeVoie: '',
    libelleVoie: '',
    bureauCedex: [a.postalCode, a.city].filter(Boolean).join(' '),
    codePostal: a.postalCode ?? '',
    codeCommune: a.inseeCode ?? '',
    codeDepartement: a.departmentCode ?? '',
  };
}

function registerExercice(e: RegisterExercice): Record<string, unknown> {
  return {
    codeProfession: e.professionCode,
    codeCategorieProfessionnelle: 'C',
    codeCiviliteDexercice: '',
    nomDexercice: e.exerciseLastName,
    prenomDexercice: e.exerciseFirstName,
    codeTypeSavoirFaire: '',
    codeSavoirFaire: '',
    activities: e.activities.map(registerActivity),
  };
}

/** Userinfo of Pro Santé Connect, with its exact claim casing (../shared/OIDC.md §1). */
export function pscClaims(p: PscIdentity): Record<string, unknown> {
  const sites = [p.organization, ...(p.secondSite ? [p.secondSite] : [])];
  const professions = p.exercices ? p.exercices.map((e) => e.professionCode) : p.professionCode ? [p.professionCode] : [];
  return {
    sub: pscSubject(p.idnps),
    preferred_username: p.idnps,
    SubjectNameID: p.idnps,
    given_name: p.givenName,
    family_name: p.familyName,
    authMode: p.authMode,
    SubjectOrganization: p.organization.name,
    SubjectOrganizationID: p.organization.id,
    SubjectRole: professions.map((code) => `${code}^1.2.250.1.213.1.1.5.5`),
    Secteur_Activite: 'SA17^1.2.250.1.71.4.2.4',
    Palier_Authentification: 'APPPRIP3^1.2.250.1.213.1.5.1.1.1',
    PSI_Locale: '1.2.250.1.213.1.3.1.1',
    UITVersion: '1.0',
    Acces_Regulation_Medicale: 'FAUX',
    Mode_Acces_Raison: '',
    SubjectRefPro: {
      codeCivilite: p.civility,
      exercices: p.exercices?.map(registerExercice) ?? [
        {
          codeProfession: p.professionCode,
          codeCategorieProfessionnelle: p.professionCode ? 'C' : '',
          codeCiviliteDexercice: '',
          nomDexercice: p.familyName,
          prenomDexercice: p.givenName.split(' ')[0] ?? '',
          codeTypeSavoirFaire: '',
          codeSavoirFaire: '',
          activities: sites.map((s) => activity(s, p.professionCode)),
        },
      ],
    },
    otherIds: p.rpps ? [{ identifiant: p.rpps, origine: 'RPPS', qualite: 1 }] : [],
  };
}

export function fcClaims(p: FcIdentity): Record<string, unknown> {
  const { key: _key, description: _description, ...claims } = p;
  return claims;
}

const demoSource = 'fixtures/identities.json (demo)';

/**
 * Gives the demo staff identities their roles (RL, mandataire, gestionnaires, operator).
 * Demo data only (never in production): replaced rows are those of the demo source, so roles
 * granted by the product itself are left alone. Idempotent.
 */
export async function seedDemoRoles(db: Database, identities = loadDemoIdentities(), now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('staffRole').where('source', '=', demoSource).execute();
    const rows = identities.psc.flatMap((p) =>
      p.roles.map((r) => ({
        idnps: p.idnps,
        role: r.role,
        ejFiness: r.ejFiness ?? null,
        egFiness: r.egFiness ?? null,
        source: demoSource,
        createdAt: now,
      })),
    );
    if (rows.length > 0) await trx.insertInto('staffRole').values(rows).execute();
  });
}
