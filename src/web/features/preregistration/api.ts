/** Types and addresses of the pre-registration API (src/server/modules/preregistration/schemas.ts). */
export const preregistrationApi = '/api/preregistration';

export const preregistrationPaths = {
  entry: '/pre-enregistrement',
  queue: '/demandes-a-traiter',
  decision: (id: string) => `/demandes-a-traiter/${encodeURIComponent(id)}`,
} as const;

export type RequestStatus = 'draft' | 'pending' | 'validated' | 'rejected' | 'withdrawn';

export interface EtatCivilView {
  civilite: string;
  sexe: string;
  birthName: string;
  usageName: string | null;
  firstNames: string[];
  birthDate: string;
  birthCountryCode: string;
  birthCountry: string | null;
  birthCommuneCode: string | null;
  birthPlace: string | null;
}

export interface RequestView {
  id: string;
  status: RequestStatus;
  /** `bulk-import`: created from a gestionnaire's file, the état civil not from FranceConnect. */
  source: 'franceconnect' | 'bulk-import';
  etatCivil: EtatCivilView;
  contact: { email: string; mobile: string };
  situation: {
    egFiness: string | null;
    egName: string | null;
    professionCode: string | null;
    roleCode: string | null;
    startDate: string | null;
    exerciseLastName: string | null;
    exerciseFirstName: string | null;
  };
  termsAccepted: boolean;
  submittedAt: string | null;
  ageDays: number;
  decidedAt: string | null;
  rejectReason: string | null;
  rpps: string | null;
}

export interface RequestDetail extends RequestView {
  existingRpps: string | null;
  likelyDuplicates: Array<{ rpps: string; exerciseLastName: string | null; exerciseFirstName: string | null; birthYear: number }>;
}
