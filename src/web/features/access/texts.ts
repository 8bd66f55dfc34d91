/** French strings of the access-rights matrix page. */
export const accessTexts = {
  title: 'Droits d’accès au DMP par rôle',
  lead:
    'Le rôle choisi lors de l’enregistrement d’un professionnel détermine les types de documents du Dossier Médical Partagé ' +
    '(DMP) qu’il peut consulter. Cette matrice est celle appliquée par RPPS+ à la date indiquée.',
  dateLabel: 'Matrice en vigueur le',
  dateHint: 'Format attendu : JJ/MM/AAAA',
  show: 'Afficher',
  loading: 'Chargement de la matrice…',
  version: (label: string, from: string) => `${label}, en vigueur depuis le ${from}`,
  source: 'Source',
  caption: (count: number) => `Types de documents (${count}) consultables selon le rôle`,
  documentType: 'Type de document',
  code: 'Code',
  allowed: 'Oui',
  denied: 'Non',
  allowedSr: 'consultable',
  deniedSr: 'non consultable',
  rolesTitle: 'Rôles',
  notFound: 'Aucune matrice n’était en vigueur à cette date.',
} as const;

export const formatIsoDate = (iso: string) => {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
};
