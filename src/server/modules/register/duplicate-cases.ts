import type { EtatCivilInput } from './types.ts';

/**
 * The duplicate-detection table (issue 6, acceptance 4), shared by the pure test and the
 * database test. Two registered identities, variants that must be caught and similar people
 * who must not be blocked.
 */
export const registeredA: EtatCivilInput = {
  civilite: 'MME',
  sexe: 'F',
  birthName: 'Lefèvre',
  usageName: 'Dupont',
  firstNames: ['Marie-Hélène', 'Claire'],
  birthDate: '1985-06-15',
  birthCountryCode: '99100',
  birthCommuneCode: '69123',
};

export const registeredB: EtatCivilInput = {
  civilite: 'M',
  sexe: 'M',
  birthName: "N'Diaye",
  usageName: null,
  firstNames: ['Jean-Pierre'],
  birthDate: '1990-02-03',
  birthCountryCode: '99341',
  birthCommuneCode: null,
  birthPlace: 'Dakar',
};

type Case = [label: string, input: EtatCivilInput, expected: 'exact' | 'likely'];
const a = (o: Partial<EtatCivilInput>) => ({ ...registeredA, ...o });
const b = (o: Partial<EtatCivilInput>) => ({ ...registeredB, ...o });

export const sameIdentityVariants: Case[] = [
  ['identical', a({}), 'exact'],
  ['no accents', a({ birthName: 'Lefevre', firstNames: ['Marie-Helene', 'Claire'] }), 'exact'],
  ['lower case', a({ birthName: 'lefèvre', firstNames: ['marie-hélène', 'claire'] }), 'exact'],
  ['upper case', a({ birthName: 'LEFEVRE', firstNames: ['MARIE-HELENE', 'CLAIRE'] }), 'exact'],
  ['first names swapped', a({ firstNames: ['Claire', 'Marie-Hélène'] }), 'exact'],
  ['space instead of hyphen in first name', a({ firstNames: ['Marie Hélène', 'Claire'] }), 'exact'],
  ['birth name with a space', a({ birthName: 'Le Fèvre' }), 'exact'],
  ['birth name with a hyphen', a({ birthName: 'Le-Fèvre' }), 'exact'],
  ['other birth commune (spelling of the place)', a({ birthCommuneCode: '69266' }), 'exact'],
  ['no usage name given', a({ usageName: null }), 'exact'],
  ['compound first name split in two', a({ firstNames: ['Marie', 'Hélène', 'Claire'] }), 'likely'],
  ['usage name entered as birth name', a({ birthName: 'Dupont', usageName: null }), 'likely'],
  ['birth and usage names swapped', a({ birthName: 'Dupont', usageName: 'Lefèvre' }), 'likely'],
  ['typo: extra letter', a({ birthName: 'Lefevbre' }), 'likely'],
  ['typo: missing letter', a({ birthName: 'Lefvre' }), 'likely'],
  ['typo: wrong letter', a({ birthName: 'Lefèvra' }), 'likely'],
  ['typo: swapped letters', a({ birthName: 'Lfeèvre' }), 'likely'],
  ['typo in first name', a({ firstNames: ['Marie-Hélèn', 'Claire'] }), 'likely'],
  ['typo in second first name', a({ firstNames: ['Marie-Hélène', 'Clair'] }), 'likely'],
  ['only the first first name', a({ firstNames: ['Marie-Hélène'] }), 'likely'],
  ['only the second first name', a({ firstNames: ['Claire'] }), 'likely'],
  ['an extra first name', a({ firstNames: ['Marie-Hélène', 'Claire', 'Louise'] }), 'likely'],
  ['sexe entered wrong', a({ sexe: 'M', civilite: 'M' }), 'likely'],
  ['birth and usage names joined', a({ birthName: 'Lefèvre-Dupont', usageName: null }), 'likely'],
  ['usage name with a typo as birth name', a({ birthName: 'Dupond', usageName: null }), 'likely'],
  ['B identical', b({}), 'exact'],
  ['B apostrophe dropped', b({ birthName: 'Ndiaye' }), 'exact'],
  ['B apostrophe as space', b({ birthName: 'N Diaye' }), 'exact'],
  ['B typographic apostrophe', b({ birthName: 'N’DIAYE' }), 'exact'],
  ['B foreign birth place spelled differently', b({ birthPlace: 'DAKAR (SÉNÉGAL)' }), 'exact'],
  ['B first name without hyphen', b({ firstNames: ['Jean Pierre'] }), 'exact'],
  ['B compound first name split', b({ firstNames: ['Jean', 'Pierre'] }), 'likely'],
  ['B typo: missing letter', b({ birthName: 'Ndiay' }), 'likely'],
  ['B typo in first name', b({ firstNames: ['Jean-Piere'] }), 'likely'],
  ['B day and month swapped', b({ birthDate: '1990-03-02' }), 'likely'],
  // Issue 16: a slip on the day or the month digit, same names and birth place.
  ['same names, month mistyped (07 for 06)', a({ birthDate: '1985-07-15' }), 'likely'],
  ['B same names, day mistyped (04 for 03)', b({ birthDate: '1990-02-04' }), 'likely'],
  ['B same names, day mistyped (13 for 03)', b({ birthDate: '1990-02-13' }), 'likely'],
  // Same first names, birth date and place under another family name: the name taken at marriage
  // typed as the birth name (issue 16). Two namesakes like this are asked about, never merged.
  ['married name typed as birth name', a({ birthName: 'Bonnet', usageName: null }), 'likely'],
  ['same first names, date and place, Martin', a({ birthName: 'Martin', usageName: null }), 'likely'],
  ['B same first names, date and country, Diallo', b({ birthName: 'Diallo' }), 'likely'],
];

export const differentPeople: Array<[label: string, input: EtatCivilInput]> = [
  ['same names, born a year later', a({ birthDate: '1986-06-15' })],
  ['same names, born a month later elsewhere', a({ birthDate: '1985-07-15', birthCommuneCode: '13055' })],
  ['same names, born five months later', a({ birthDate: '1985-11-15' })],
  ['same names, born 27 years earlier', a({ birthDate: '1958-06-15' })],
  ['twin sister, other first names', a({ firstNames: ['Sophie'] })],
  ['twin brother, other first names', a({ sexe: 'M', civilite: 'M', firstNames: ['Paul', 'Claire'] })],
  ['twin with a close but distinct first name', a({ firstNames: ['Marine'] })],
  ['twin Marie-Thérèse', a({ firstNames: ['Marie-Thérèse'] })],
  ['twin Maria', a({ firstNames: ['Maria'] })],
  ['same first names, other family name, born elsewhere', a({ birthName: 'Martin', usageName: null, birthCommuneCode: '13055' })],
  ['same first names, Lefort, born elsewhere', a({ birthName: 'Lefort', usageName: null, birthCommuneCode: '69266' })],
  ['same first names, Lemaire, born abroad', a({ birthName: 'Lemaire', usageName: null, birthCountryCode: '99109', birthCommuneCode: null })],
  ['same first names, Dupuis, other sexe', a({ birthName: 'Dupuis', usageName: null, sexe: 'M', civilite: 'M' })],
  ['same day, Leclerc Claire', a({ birthName: 'Leclerc', usageName: null, firstNames: ['Claire'] })],
  ['same day, Durand Marie', a({ birthName: 'Durand', usageName: null, firstNames: ['Marie'] })],
  ['same day, Petit Marie', a({ birthName: 'Petit', usageName: null, firstNames: ['Marie'] })],
  ['same usage name, other first name', a({ birthName: 'Dupont', usageName: null, firstNames: ['Paul'], sexe: 'M', civilite: 'M' })],
  ['same usage name, Claude', a({ birthName: 'Dupont', usageName: null, firstNames: ['Claude'] })],
  ['same birth name, Marc', a({ usageName: null, firstNames: ['Marc'], sexe: 'M', civilite: 'M' })],
  ['short name Li', a({ birthName: 'Li', usageName: null, firstNames: ['Marie'] })],
  ['B same names, born a year later', b({ birthDate: '1991-02-03' })],
  ['B same names, next day, born in another country', b({ birthDate: '1990-02-04', birthCountryCode: '99350', birthPlace: 'Rabat' })],
  ['B same names, ten days later, born in France', b({ birthDate: '1990-02-13', birthCountryCode: '99100', birthCommuneCode: '75056', birthPlace: null })],
  ['B same names, eleven days later', b({ birthDate: '1990-02-14' })],
  ['twin brother Marius', a({ sexe: 'M', civilite: 'M', firstNames: ['Marius', 'Claire'] })],
  ['same day and place, same first names, other sexe and name', a({ sexe: 'M', civilite: 'M', birthName: 'Bonnet', usageName: null })],
  ['B twin Moussa', b({ firstNames: ['Moussa'] })],
  ['B twin Jean-Marc', b({ firstNames: ['Jean-Marc'] })],
  ['B twin Pierre-Jean', b({ firstNames: ['Pierre-Jean'] })],
  ['B twin sister Fatou', b({ sexe: 'F', civilite: 'MME', firstNames: ['Fatou'] })],
  ['B same day, Diallo Jean-Pierre, born in Mali', b({ birthName: 'Diallo', birthCountryCode: '99335' })],
  ['B same day, Ndour Jean-Pierre, born in France', b({ birthName: 'Ndour', birthCountryCode: '99100', birthCommuneCode: '75056', birthPlace: null })],
  ['B same day, Diop Jean-Marie', b({ birthName: 'Diop', firstNames: ['Jean-Marie'] })],
  ['B swapped date, other first name', b({ birthDate: '1990-03-02', firstNames: ['Moussa'] })],
  ['B swapped date, names with a typo', b({ birthDate: '1990-03-02', birthName: 'Ndiay' })],
];
