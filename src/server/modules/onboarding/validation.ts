import type { FieldError } from '../../errors.ts';
import type { UploadedFile } from '../../files/upload.ts';
import type { Strategy } from '../../db/schema.ts';
import { luhnValid } from '../../identifiers.ts';
import { mieCguVersion } from '../../../shared/terms.ts';
import { OnboardingValidationError } from './errors.ts';

export type Maybe<T> = T | null | undefined;

/** Raw, as a multipart form gives it: every rule is checked here, each failure names its field. */
export interface HabilitationInput {
  idnps?: Maybe<string>;
  familyName?: Maybe<string>;
  givenName?: Maybe<string>;
  email?: Maybe<string>;
  credential?: Maybe<string>;
  cardForm?: Maybe<string>;
  cardFormReference?: Maybe<string>;
  elearningCompletedOn?: Maybe<string>;
  scope?: Maybe<string>;
  egFiness?: Maybe<string[]>;
  endsOn?: Maybe<string>;
}

/** The legal representative as a form gives him (contract request, succession). */
export interface RlInput {
  civility: string;
  familyName: string;
  givenName: string;
  email: string;
  phone: string;
  idnps?: Maybe<string>;
  cardMatricule?: Maybe<string>;
}

/** The RL's columns of a contract or a succession: trimmed, a blank identifier stored as null. */
export const rlColumns = (rl: RlInput) => ({
  rlCivility: rl.civility,
  rlFamilyName: rl.familyName.trim(),
  rlGivenName: rl.givenName.trim(),
  rlEmail: rl.email.trim(),
  rlPhone: rl.phone.trim(),
  rlIdnps: rl.idnps?.trim() || null,
  rlCardMatricule: rl.cardMatricule?.trim() || null,
});

export const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
export const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const idnpsPattern = /^(8\d{11}|[0-9]\d{9}\/[A-Za-z0-9]{1,20}|[0-9][0-9A-B]\d{8}\/[A-Za-z0-9]{1,20})$/;
export const text = (v: Maybe<string>) => (typeof v === 'string' ? v.trim() : '');

/** SIRET: 14 digits with a Luhn key (the La Poste establishments, SIREN 356000000, use another rule). */
const siretValid = (v: string) => /^\d{14}$/.test(v) && (luhnValid(v) || v.startsWith('356000000'));

/**
 * What the contract's annex asks (seed 000, annexe 1): SIRET du siège, address, and the MIE terms
 * read. Checked as typed on a draft; all required when the request is submitted.
 */
export function annexErrors(input: { siret?: Maybe<string>; address?: Maybe<string>; mieCguVersion?: Maybe<string> }, required: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const siret = input.siret?.replace(/\s/g, '') ?? '';
  if (siret && !siretValid(siret)) errors.push({ pointer: '/body/siret', detail: 'Numéro SIRET non valide : 14 chiffres (celui du siège de l’organisme gestionnaire).' });
  else if (!siret && required) errors.push({ pointer: '/body/siret', detail: 'Le numéro SIRET du siège est obligatoire.' });
  if (!input.address?.trim() && required) errors.push({ pointer: '/body/address', detail: 'L’adresse de l’organisme gestionnaire est obligatoire.' });
  if (input.mieCguVersion && input.mieCguVersion !== mieCguVersion) errors.push({ pointer: '/body/mieCguVersion', detail: 'Les conditions d’utilisation des moyens d’identification électronique ont changé : relisez la version en vigueur.' });
  else if (!input.mieCguVersion && required) errors.push({ pointer: '/body/mieCguVersion', detail: 'Le représentant légal doit prendre connaissance des conditions générales d’utilisation des moyens d’identification électronique (MIE).' });
  return errors;
}

type Err = (field: string, detail: string) => void;

/** Every rule of a new habilitation; `today` is the clock's day (YYYY-MM-DD). */
export function validateHabilitation(input: HabilitationInput, attestation: UploadedFile | undefined, eg: { strategy: Strategy; egs: Map<string, { closedOn: string | null }> }, today: string) {
  const errors: FieldError[] = [];
  const err = (field: string, detail: string) => errors.push({ pointer: `/body/${field}`, detail });
  const idnps = text(input.idnps);
  if (!idnps) err('idnps', 'L’identifiant national (IDNPS) de la personne est obligatoire.');
  else if (!idnpsPattern.test(idnps)) err('idnps', 'Identifiant national non valide : 8 suivi du numéro RPPS (e-CPS) ou identifiant de la carte CPx.');
  const familyName = text(input.familyName);
  const givenName = text(input.givenName);
  if (!familyName) err('familyName', 'Le nom est obligatoire.');
  if (!givenName) err('givenName', 'Le prénom est obligatoire.');
  const email = text(input.email);
  if (!emailPattern.test(email)) err('email', 'Une adresse électronique valide est obligatoire.');
  const credential = text(input.credential);
  const cardForm = text(input.cardForm) || null;
  if (credential !== 'card' && credential !== 'ecps') err('credential', 'Indiquez le moyen d’identification : carte CPx ou e-CPS.');
  // Guide ANS : carte CPx commandée sur le formulaire F301 (pas de carte) ou F502 (carte déjà détenue).
  if (credential === 'card' && cardForm !== 'F301' && cardForm !== 'F502') err('cardForm', 'Pour une carte CPx, indiquez le formulaire de commande : F301 (nouvelle carte) ou F502 (carte déjà détenue).');
  if (credential === 'ecps' && cardForm !== null && cardForm !== 'F301' && cardForm !== 'F502') err('cardForm', 'Formulaire inconnu : F301 ou F502.');
  // Guide ANS : l’attestation de l’e-learning est obligatoire pour toute habilitation depuis avril 2025.
  const completed = text(input.elearningCompletedOn);
  if (!completed) err('elearningCompletedOn', 'La date de réalisation de l’e-learning gestionnaire RPPS+ est obligatoire.');
  else if (!isDate(completed)) err('elearningCompletedOn', 'Date non valide (AAAA-MM-JJ).');
  else if (completed > today) err('elearningCompletedOn', 'La date de réalisation de l’e-learning ne peut pas être dans le futur.');
  if (!attestation) err('attestation', 'L’attestation de suivi de l’e-learning (PDF) est obligatoire.');
  else if (attestation.contentType !== 'application/pdf') err('attestation', 'L’attestation doit être un fichier PDF.');
  const scope = text(input.scope) || 'ej';
  const egFiness = [...new Set((input.egFiness ?? []).map((v) => v.trim().toUpperCase()).filter(Boolean))];
  if (scope !== 'ej' && scope !== 'eg') err('scope', 'Périmètre : toute l’entité juridique (ej) ou des établissements (eg).');
  if (scope === 'eg') checkEgs(egFiness, eg, err, today);
  if (scope === 'eg' && eg.strategy === 'centralized') err('scope', 'Stratégie centralisée : les gestionnaires sont habilités sur toute l’entité juridique.');
  const endsOn = text(input.endsOn) || null;
  if (endsOn !== null && (!isDate(endsOn) || endsOn <= today)) err('endsOn', 'La date de fin doit être une date postérieure à aujourd’hui.');
  if (errors.length > 0) throw new OnboardingValidationError(errors);
  return {
    idnps,
    familyName,
    givenName,
    email,
    credential: credential as 'card' | 'ecps',
    cardForm: cardForm as 'F301' | 'F502' | null,
    cardFormReference: text(input.cardFormReference) || null,
    elearningCompletedOn: completed,
    scopeKind: scope as 'ej' | 'eg',
    egFiness: scope === 'eg' ? egFiness : [],
    endsOn,
  };
}

/** The EGs of an EG-scoped habilitation: of this entity, and open on the day. */
export function checkEgs(egFiness: string[], eg: { egs: Map<string, { closedOn: string | null }> }, err: Err, today: string) {
  if (egFiness.length === 0) err('egFiness', 'Choisissez au moins un établissement (EG) de l’entité juridique.');
  for (const f of egFiness) {
    const found = eg.egs.get(f);
    if (!found) err('egFiness', `L’établissement ${f} n’appartient pas à cette entité juridique.`);
    else if (found.closedOn !== null && found.closedOn <= today) err('egFiness', `L’établissement ${f} est fermé dans FINESS.`);
  }
}

