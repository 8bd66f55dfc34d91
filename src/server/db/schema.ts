import type { ColumnType, Generated, Selectable } from 'kysely';

/** Table types, in camelCase (Kysely's CamelCasePlugin maps them to snake_case columns). */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** SQL `date`, kept as 'YYYY-MM-DD' text (see the type parser in database.ts). */
type DateString = string;

export interface NomenclatureTable {
  kind: string;
  source: string;
  codeSystem: string | null;
  version: string | null;
  updatedAt: Timestamp;
}

export interface NomenclatureCodeTable {
  kind: string;
  code: string;
  label: string;
  system: string | null;
  validFrom: DateString | null;
  validTo: DateString | null;
  selectable: Generated<boolean>;
  position: number;
  extra: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface CommuneTable {
  id: Generated<number>;
  inseeCode: string;
  name: string;
  searchName: string;
  kind: string;
  departmentCode: string | null;
  currentInseeCode: string | null;
  postalCodes: ColumnType<string[], string[] | undefined, string[]>;
  validFrom: DateString | null;
  validTo: DateString | null;
}

export interface StructureTable {
  finess: string;
  kind: 'EJ' | 'EG';
  ejFiness: string | null;
  name: string;
  longName: string | null;
  categoryCode: string | null;
  categoryLabel: string | null;
  legalStatusCode: string | null;
  legalStatusLabel: string | null;
  siret: string | null;
  siren: string | null;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  inseeCode: string | null;
  departmentCode: string | null;
  phone: string | null;
  openedOn: DateString | null;
  closedOn: DateString | null;
  finessUpdatedOn: DateString | null;
  searchText: string;
  source: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface StructureHistoryTable {
  id: Generated<number>;
  finess: string;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  source: string;
  changedAt: Timestamp;
}

export interface MailMessageTable {
  id: Generated<string>;
  to: string;
  subject: string;
  /** Empty for a mail stored as a template (rendered when sent: src/server/mail/templates.ts). */
  text: string;
  html: string | null;
  template: string | null;
  params: Json;
  status: Generated<'queued' | 'sent' | 'outbox' | 'failed'>;
  attempts: Generated<number>;
  lastError: string | null;
  claimedUntil: Timestamp | null;
  dedupeKey: string;
  createdAt: Timestamp;
  sentAt: Timestamp | null;
}

export interface AccessMatrixTable {
  id: Generated<number>;
  label: string;
  effectiveFrom: DateString;
  source: string;
  publishedBy: string;
  publishedAt: Timestamp;
}

export interface AccessMatrixEntryTable {
  matrixId: number;
  roleCode: string;
  documentType: string;
}

/** The RPPS register (migration 20261123T1130_register). État civil and contact: personal data. */
export type IdentityStatus = 'to_verify' | 'verified' | 'to_review' | 'rejected';
export type SituationStatus = 'active' | 'ended' | 'deleted';

export interface RppsNumberTable {
  rpps: string;
  allocatedAt: Timestamp;
}

export interface PersonTable {
  id: Generated<string>;
  rpps: string;
  civilite: string;
  sexe: string;
  birthName: string;
  usageName: string | null;
  firstNames: string[];
  birthDate: DateString;
  birthCountryCode: string;
  birthCommuneCode: string | null;
  birthPlace: string | null;
  email: string;
  mobile: string;
  /** The EJ the contact was entered for: other structures see it masked (issue 15). */
  contactEjFiness: Generated<string | null>;
  identityStatus: Generated<IdentityStatus>;
  birthNameKey: string;
  usageNameKey: string | null;
  firstNamesKey: string;
  identityKey: string;
  version: Generated<number>;
  createdBy: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  identityDocumentId: string | null;
  identityCheckedAt: Timestamp | null;
  identityCheckedBy: string | null;
  identityCheckReasons: Generated<string[]>;
}

/** The 4-step registration form of a gestionnaire, saved between steps (migration 20261123T1230). */
export interface RegistrationDraftTable {
  id: Generated<string>;
  ownerId: string;
  etatCivil: Json;
  contact: Json;
  situation: Json;
  declarations: Json;
  identityDocumentId: string | null;
  rpps: string | null;
  submittedAt: Timestamp | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
  /** The structure the draft belongs to (null: an operator's own draft). */
  ejFiness: string | null;
  /** The EG the draft may end in; a caller sees it while his scope covers them all. */
  egScope: Generated<string[]>;
  /** Version of the RPPS+ terms of use the gestionnaire's declaration refers to (migration 20261204T1300). */
  cguVersion: Generated<string | null>;
}

export interface IdentityCheckQuotaTable {
  /** `account:<id>` or `api-key:<id>`. */
  subject: string;
  windowStart: Timestamp;
  checks: Generated<number>;
  failedIdentifications: Generated<number>;
  lockedUntil: Timestamp | null;
  updatedAt: Timestamp;
}

export interface SituationReportTable {
  id: Generated<string>;
  tokenHash: string;
  personId: string;
  situationId: string;
  ejFiness: string;
  createdAt: Timestamp;
  reportedAt: Timestamp | null;
}

export interface SituationTable {
  id: Generated<string>;
  personId: string;
  egFiness: string;
  professionCode: string;
  roleCode: string;
  modeCode: string;
  exerciseLastName: string;
  exerciseFirstName: string;
  searchText: string;
  startDate: DateString;
  endDate: DateString | null;
  endReason: string | null;
  status: Generated<SituationStatus>;
  version: Generated<number>;
  createdBy: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

type Json = ColumnType<unknown, string | null, string | null>;

export interface PersonVersionTable {
  id: Generated<string>;
  personId: string;
  version: number;
  action: string;
  actorId: string;
  actorKind: string;
  at: Timestamp;
  before: Json;
  after: Json;
}

export interface AuditEventTable {
  id: Generated<string>;
  at: Timestamp;
  actorId: string;
  actorKind: string;
  action: string;
  entityType: string;
  entityId: string;
  before: Json;
  after: Json;
}

export interface RegisterEventTable {
  id: Generated<string>;
  type: string;
  personId: string;
  situationId: string | null;
  payload: Json;
  occurredAt: Timestamp;
  publishedAt: Timestamp | null;
}

export interface RegistrationSubmissionTable {
  actorId: string;
  idempotencyKey: string;
  personId: string | null;
  situationId: string | null;
  rpps: string | null;
  createdAt: Timestamp;
}

export interface AccountTable {
  id: Generated<string>;
  provider: 'psc' | 'franceconnect';
  subject: string;
  idnps: string | null;
  familyName: string;
  givenName: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  lastLoginAt: Timestamp | null;
  disabledAt: Timestamp | null;
}

export type StaffRoleName = 'operator' | 'legal_representative' | 'mandataire' | 'gestionnaire';

export interface StaffRoleTable {
  id: Generated<number>;
  idnps: string;
  role: StaffRoleName;
  ejFiness: string | null;
  egFiness: string | null;
  source: string;
  createdAt: Timestamp;
  revokedAt: Timestamp | null;
}

export interface SessionTable {
  id: string;
  accountId: string;
  provider: 'psc' | 'franceconnect';
  csrfToken: string;
  idToken: string | null;
  identity: ColumnType<Record<string, unknown>, string | undefined, string>;
  createdAt: Timestamp;
  lastSeenAt: Timestamp;
  expiresAt: Timestamp;
}

export interface AuthTransactionTable {
  id: string;
  provider: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  createdAt: Timestamp;
  expiresAt: Timestamp;
}

export interface ApiKeyTable {
  id: Generated<string>;
  name: string;
  prefix: string;
  secretHash: string;
  scopes: string[];
  /** The EJ the key acts for (its `registrations:bulk` imports); null: a national key. */
  ejFiness: string | null;
  createdBy: string | null;
  createdAt: Timestamp;
  lastUsedAt: Timestamp | null;
  expiresAt: Timestamp | null;
  revokedAt: Timestamp | null;
}

/** The public directory read model (migration 20261123T1160_directory): published data only. */
export interface DirectoryPractitionerTable {
  id: string;
  rpps: string;
  family: string | null;
  given: string | null;
  familySearch: Generated<string>;
  givenSearch: Generated<string>;
  nameSearch: Generated<string>;
  active: boolean;
  withdrawn: Generated<boolean>;
  versionId: Generated<number>;
  lastUpdated: Timestamp;
  createdAt: Generated<Timestamp>;
}

/** The words of the published names, kept by triggers (migration scale3m_20261204T2230_directory_name_words). */
export interface DirectoryNameWordTable {
  word: string;
  practitionerId: string;
  part: 'f' | 'g';
  active: boolean;
  /** Copies of the professional's, for the name order (migration scale3m_20261205T0220_search_name_word_order). */
  familySearch: string;
  givenSearch: string;
}

export interface DirectoryPractitionerRoleTable {
  id: string;
  practitionerId: string;
  rpps: string;
  egFiness: string | null;
  ejFiness: string | null;
  egName: string | null;
  departmentCode: string | null;
  professionCode: string | null;
  professionLabel: string | null;
  roleCode: string | null;
  roleLabel: string | null;
  modeCode: string | null;
  startDate: DateString | null;
  endDate: DateString | null;
  active: boolean;
  withdrawn: Generated<boolean>;
  versionId: Generated<number>;
  lastUpdated: Timestamp;
  createdAt: Generated<Timestamp>;
}

export interface DirectoryChangeTable {
  seq: Generated<number>;
  resourceType: 'Practitioner' | 'PractitionerRole';
  resourceId: string;
  rpps: string;
  change: 'created' | 'updated' | 'withdrawn';
  versionId: number;
  at: Timestamp;
  data: Json;
}

/** Extraction files of the directory (migration 20261123T1430_directory_extraction). */
export interface DirectoryExtractionTable {
  id: Generated<string>;
  kind: 'full' | 'delta';
  fileName: string;
  generatedAt: Timestamp;
  seqFrom: number;
  seqTo: number;
  lineCount: Generated<number>;
  withdrawnCount: Generated<number>;
  sizeBytes: Generated<number>;
  sha256: Generated<string>;
  createdAt: Generated<Timestamp>;
}

export interface DirectoryExtractionChunkTable {
  extractionId: string;
  n: number;
  data: Buffer;
}

/** Onboarding of structures (migration 20261123T1200_onboarding). */
export type ContractStatus = 'draft' | 'submitted' | 'active' | 'refused' | 'terminated';
export type Strategy = 'centralized' | 'decentralized';

export interface StoredFileTable {
  id: Generated<string>;
  purpose: string;
  contentType: 'application/pdf' | 'image/jpeg' | 'image/png';
  sizeBytes: number;
  sha256: string;
  originalName: string;
  content: Buffer;
  createdBy: string;
  createdAt: Timestamp;
}

export interface ContractTable {
  id: Generated<string>;
  ejFiness: string;
  status: ContractStatus;
  strategy: Generated<Strategy>;
  rlCivility: string;
  rlFamilyName: string;
  rlGivenName: string;
  rlEmail: string;
  rlPhone: string;
  rlIdnps: string | null;
  cdeIdnps: string | null;
  signedOn: DateString | null;
  signedFileId: string | null;
  decisionReason: string | null;
  requestedBy: string;
  submittedAt: Timestamp | null;
  decidedBy: string | null;
  decidedAt: Timestamp | null;
  terminatedAt: Timestamp | null;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  /** Contract at FINESS géographique level: its EG (null: the whole EJ). Migration 20261204T1300. */
  egFiness: Generated<string | null>;
  siret: Generated<string | null>;
  address: Generated<string | null>;
  rlCardMatricule: Generated<string | null>;
  mieCguVersion: Generated<string | null>;
  mieCguAcceptedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface RlSuccessionTable {
  id: Generated<string>;
  contractId: string;
  status: 'pending' | 'approved' | 'refused';
  rlCivility: string;
  rlFamilyName: string;
  rlGivenName: string;
  rlEmail: string;
  rlPhone: string;
  rlIdnps: string | null;
  rlCardMatricule: string | null;
  mieCguVersion: string;
  reason: string;
  requestedBy: string;
  requestedAt: Timestamp;
  decidedBy: string | null;
  decidedAt: Timestamp | null;
  decisionReason: string | null;
}

export interface SupportRequestTable {
  id: Generated<string>;
  reference: string;
  audience: 'gestionnaire' | 'representant' | 'professionnel' | 'autre';
  topic: 'adhesion' | 'habilitation' | 'enregistrement' | 'pre-enregistrement' | 'e-cps' | 'import' | 'autre';
  name: string;
  email: string;
  finess: string | null;
  subject: string;
  message: string;
  accountId: string | null;
  status: Generated<'open' | 'answered'>;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: Timestamp | null;
  createdAt: Timestamp;
}

export interface HabilitationTable {
  id: Generated<string>;
  ejFiness: string;
  idnps: string;
  familyName: string;
  givenName: string;
  email: string;
  scopeKind: 'ej' | 'eg';
  status: 'active' | 'revoked';
  credential: 'card' | 'ecps';
  cardForm: 'F301' | 'F502' | null;
  cardFormReference: string | null;
  attestationFileId: string;
  elearningCompletedOn: DateString;
  endsOn: DateString | null;
  revokedAt: Timestamp | null;
  revokedBy: string | null;
  revokeReason: string | null;
  createdBy: string;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface HabilitationEgTable {
  habilitationId: string;
  egFiness: string;
}

export interface MandataireTable {
  id: Generated<string>;
  ejFiness: string;
  idnps: string;
  familyName: string;
  givenName: string;
  email: string;
  designatedBy: string;
  createdAt: Timestamp;
  revokedAt: Timestamp | null;
  revokedBy: string | null;
}

export interface CardOrderTable {
  id: Generated<string>;
  ejFiness: string;
  form: 'F101' | 'F301' | 'F502';
  cardKind: 'CDE' | 'CPS' | 'CPE';
  holderIdnps: string | null;
  holderFamilyName: string;
  holderGivenName: string;
  reference: string | null;
  contractId: string | null;
  habilitationId: string | null;
  recordedBy: string;
  recordedAt: Timestamp;
}

/** e-CPS (migration 20261123T1240_ecps, docs/ecps.md). */
export interface EcpsAccountTable {
  personId: string;
  idnps: string;
  status: Generated<'invited' | 'active'>;
  invitedAt: Timestamp;
  activatedAt: Timestamp | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface EcpsActivationCodeTable {
  id: Generated<string>;
  personId: string;
  salt: string;
  codeHash: string;
  expiresAt: Timestamp;
  attempts: Generated<number>;
  maxAttempts: number;
  consumedAt: Timestamp | null;
  createdAt: Timestamp;
}

export interface EcpsEventCursorTable {
  consumer: string;
  /** bigint: returned as a string by node-postgres. */
  lastEventId: ColumnType<string, string | number, string | number>;
}

export type PreregistrationStatus = 'draft' | 'pending' | 'validated' | 'rejected' | 'withdrawn';

export interface PreregistrationTable {
  id: Generated<string>;
  /** Null for a request created from a bulk-import file (`source = 'bulk-import'`). */
  accountId: string | null;
  /** Where the état civil comes from: FranceConnect, or a gestionnaire's file. */
  source: Generated<'franceconnect' | 'bulk-import'>;
  /** `bulk-import:<import id>:<row number>`: one request per file row. */
  idempotencyKey: string | null;
  status: PreregistrationStatus;
  etatCivil: ColumnType<unknown, string, string>;
  contact: ColumnType<unknown, string | undefined, string>;
  situation: ColumnType<unknown, string | undefined, string>;
  egFiness: string | null;
  ejFiness: string | null;
  termsAcceptedAt: Timestamp | null;
  submittedAt: Timestamp | null;
  decidedAt: Timestamp | null;
  decidedBy: string | null;
  rejectReason: string | null;
  rpps: string | null;
  situationId: string | null;
  reminderCount: Generated<number>;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  /** Version of the RPPS+ terms of use accepted (migration 20261204T1300). */
  cguVersion: Generated<string | null>;
}

export interface ContactChangeTable {
  id: Generated<string>;
  personId: string;
  kind: 'email' | 'mobile';
  newValue: string;
  codeHash: string;
  attempts: Generated<number>;
  expiresAt: Timestamp;
  confirmedAt: Timestamp | null;
  cancelledAt: Timestamp | null;
  createdAt: Timestamp;
}

/** Operator dashboard aggregates (dashboard.refresh job; docs/dashboard.md). */
export interface DashboardRefreshTable {
  id: Generated<number>;
  asOf: Timestamp;
  startedAt: Timestamp;
  durationMs: number;
  createdAt: Generated<Date>;
}

export interface DashboardAreaActiveTable {
  id: Generated<number>;
  level: number;
  departmentCode: string | null;
  regionCode: string | null;
  active: number;
}

export interface DashboardRegistrationDayTable {
  id: Generated<number>;
  departmentKey: string;
  day: DateString;
  registrations: number;
  cumulative: number;
}

export interface DB {
  dashboardRefresh: DashboardRefreshTable;
  dashboardAreaActive: DashboardAreaActiveTable;
  dashboardRegistrationDay: DashboardRegistrationDayTable;
  ecpsAccount: EcpsAccountTable;
  ecpsActivationCode: EcpsActivationCodeTable;
  ecpsEventCursor: EcpsEventCursorTable;
  storedFile: StoredFileTable;
  contract: ContractTable;
  rlSuccession: RlSuccessionTable;
  supportRequest: SupportRequestTable;
  habilitation: HabilitationTable;
  habilitationEg: HabilitationEgTable;
  mandataire: MandataireTable;
  cardOrder: CardOrderTable;
  directoryPractitioner: DirectoryPractitionerTable;
  directoryPractitionerRole: DirectoryPractitionerRoleTable;
  directoryNameWord: DirectoryNameWordTable;
  directoryChange: DirectoryChangeTable;
  directoryExtraction: DirectoryExtractionTable;
  directoryExtractionChunk: DirectoryExtractionChunkTable;
  account: AccountTable;
  staffRole: StaffRoleTable;
  session: SessionTable;
  authTransaction: AuthTransactionTable;
  apiKey: ApiKeyTable;
  accessMatrix: AccessMatrixTable;
  accessMatrixEntry: AccessMatrixEntryTable;
  nomenclature: NomenclatureTable;
  nomenclatureCode: NomenclatureCodeTable;
  commune: CommuneTable;
  structure: StructureTable;
  structureHistory: StructureHistoryTable;
  mailMessage: MailMessageTable;
  rppsNumber: RppsNumberTable;
  person: PersonTable;
  registrationDraft: RegistrationDraftTable;
  identityCheckQuota: IdentityCheckQuotaTable;
  situationReport: SituationReportTable;
  situation: SituationTable;
  personVersion: PersonVersionTable;
  auditEvent: AuditEventTable;
  registerEvent: RegisterEventTable;
  registrationSubmission: RegistrationSubmissionTable;
  preregistration: PreregistrationTable;
  contactChange: ContactChangeTable;
}

export type StructureRow = Selectable<StructureTable>;
