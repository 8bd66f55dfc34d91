import type { IdentityStatus } from '../../db/schema.ts';

/** Who acts, as recorded in the audit trail (a gestionnaire, an operator, an import, a job). */
export interface Actor {
  id: string;
  kind: string;
}

/** The EG (FINESS) numbers the actor may manage; 'all' for operators and jobs. */
export type EgScope = readonly string[] | 'all';

type Maybe<T> = T | null | undefined;

/** Raw input, as a form, a pre-registration or an import row gives it; every rule is checked here. */
export interface EtatCivilInput {
  civilite: Maybe<string>;
  sexe: Maybe<string>;
  birthName: Maybe<string>;
  usageName?: Maybe<string>;
  firstNames: Maybe<Maybe<string>[]>;
  birthDate: Maybe<string>;
  birthCountryCode: Maybe<string>;
  birthCommuneCode?: Maybe<string>;
  /** Birth town abroad, as written on the identity document. */
  birthPlace?: Maybe<string>;
}

export interface ContactInput {
  email: Maybe<string>;
  mobile: Maybe<string>;
}

export interface SituationInput {
  egFiness: Maybe<string>;
  professionCode: Maybe<string>;
  roleCode: Maybe<string>;
  modeCode: Maybe<string>;
  /** Default: birth name / first first name (DOMAIN.md, step 3). */
  exerciseLastName?: Maybe<string>;
  exerciseFirstName?: Maybe<string>;
  startDate: Maybe<string>;
}

export interface EtatCivil {
  civilite: string;
  sexe: string;
  birthName: string;
  usageName: string | null;
  firstNames: string[];
  birthDate: string;
  birthCountryCode: string;
  birthCommuneCode: string | null;
  birthPlace: string | null;
}

export interface Contact {
  email: string;
  /** E.164, e.g. +33612345678. */
  mobile: string;
}

export interface Situation {
  egFiness: string;
  professionCode: string;
  roleCode: string;
  modeCode: string;
  exerciseLastName: string;
  exerciseFirstName: string;
  startDate: string;
}

export type { IdentityStatus };
