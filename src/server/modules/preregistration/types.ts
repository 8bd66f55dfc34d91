export interface DraftInput {
  contact?: { email?: string | null; mobile?: string | null };
  situation?: {
    egFiness?: string | null;
    professionCode?: string | null;
    roleCode?: string | null;
    startDate?: string | null;
    /** Blank: the birth name and first first name (seed 004). */
    exerciseLastName?: string | null;
    exerciseFirstName?: string | null;
  };
  termsAccepted?: boolean;
}

export interface ValidateInput {
  declarations: { accurateAndInformed: boolean; metInPerson: boolean };
  professionCode?: string;
  roleCode?: string;
  startDate?: string;
  /** The gestionnaire may set the exercise names at validation (issue 16). */
  exerciseLastName?: string;
  exerciseFirstName?: string;
  notDuplicateOf?: string[];
}
