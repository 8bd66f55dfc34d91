/**
 * Names of the personal-data fields (DOMAIN.md: état civil, e-mail, phone) as they appear in
 * bodies, rows and identity-provider claims. They never leave through public/FHIR endpoints, the
 * audit trail, logs or errors.
 */
export const etatCivilFields = [
  'etatCivil',
  'civilite',
  'sexe',
  'birthName',
  'usageName',
  'firstNames',
  'birthDate',
  'birthCountryCode',
  'birthCommuneCode',
  'birthPlace',
  // FranceConnect / Pro Santé Connect claims.
  'given_name',
  'family_name',
  'birthdate',
  'gender',
  'birthplace',
  'birthcountry',
] as const;

export const contactFields = ['contact', 'email', 'mobile', 'phone'] as const;
