/** French strings of the access-rights matrix page. */
export const accessTexts = {
  title: 'Droits d’accès au DMP par rôle',
  lead:
    'Le rôle choisi lors de l’enregistrement d’un professionnel détermine les types de documents du Dossier Médical Partagé ' +
    '(DMP) qu’il pourra consulter. Cette matrice est celle appliquée par RPPS+ à la date indiquée.',
  dateLabel: 'Matrice en vigueur le',
  dateHint: 'Format attendu : JJ/MM/AAAA',
  show: 'Afficher',
  loading: 'Chargement de la matrice…',
  version: (label: string, from: string) => `${label}, en vigueur depuis le ${from}`,
  source: 'Source',
  caption: (count: number) => `Types de documents (${count}) consultables selon le rôle`,
  documentType: 'Type de document',
  allowed: 'Oui',
  denied: 'Non',
  allowedSr: 'consultable',
  deniedSr: 'non consultable',
  rolesTitle: 'Rôles',
  notFound: 'Aucune matrice n’était en vigueur à cette date.',
  dmpNotOpenTitle: 'Droits applicables à l’ouverture du DMP',
  dmpNotOpen: (from: string | null) =>
    from
      ? `La consultation du DMP par les professionnels à rôle n’est pas encore ouverte : ces droits s’appliqueront lorsque le DMP les ouvrira, à partir du ${from}.`
      : 'La consultation du DMP par les professionnels à rôle n’est pas encore ouverte : ces droits s’appliqueront lorsque le DMP les ouvrira. La date n’est pas encore connue.',
} as const;

export const formatIsoDate = (iso: string) => {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
};
