/** French strings of the establishment search and detail pages. */
export const structureTexts = {
  search: {
    pageTitle: 'Rechercher un établissement',
    title: 'Rechercher un établissement',
    lead:
      'Retrouvez une structure du répertoire FINESS : une entité juridique (organisme gestionnaire) ' +
      'ou l’un de ses établissements.',
    formLegend: 'Critères de recherche',
    query: {
      label: 'Numéro FINESS ou nom de l’établissement',
      hint: 'Par exemple : 690800206, ou « EHPAD Tilleuls ». Les accents et majuscules sont ignorés.',
      required: 'Saisissez un numéro FINESS, un nom ou un département.',
    },
    department: {
      label: 'Département (facultatif)',
      hint: 'Code du département : 69, 2A, 974…',
    },
    submit: 'Rechercher',
    pageTitleWithQuery: (q: string) => `Recherche « ${q} »`,
    invite: 'Saisissez un numéro FINESS ou un nom pour lancer la recherche.',
    loading: 'Recherche en cours…',
    resultsTitle: 'Résultats',
    count: (total: number) =>
      total === 0 ? 'Aucun établissement trouvé' : total === 1 ? '1 établissement trouvé' : `${total.toLocaleString('fr-FR')} établissements trouvés`,
    pageInfo: (page: number, pages: number) => `page ${page} sur ${pages}`,
    emptyTitle: 'Aucun établissement ne correspond à votre recherche',
    emptyDesc:
      'Vérifiez l’orthographe ou le numéro FINESS, retirez le département, ou essayez avec moins de mots. ' +
      'Si votre établissement est absent ou mal renseigné dans FINESS, contactez votre ARS ou votre Conseil départemental.',
    errorTitle: 'La recherche n’a pas pu aboutir',
    invalidTitle: 'Certains critères ne sont pas valides',
  },
  detail: {
    breadcrumbSearch: 'Rechercher un établissement',
    loading: 'Chargement de l’établissement…',
    notFoundTitle: 'Établissement introuvable',
    invalidTitle: 'Numéro FINESS non valide',
    errorTitle: 'L’établissement n’a pas pu être chargé',
    backToSearch: 'Retour à la recherche',
    identity: 'Identification',
    finess: 'Numéro FINESS',
    kind: 'Type de structure',
    category: 'Catégorie',
    legalStatus: 'Statut juridique',
    siret: 'SIRET',
    siren: 'SIREN',
    address: 'Adresse',
    phone: 'Téléphone',
    openedOn: 'Date d’ouverture',
    closedOn: 'Date de fermeture',
    updatedOn: 'Dernière mise à jour FINESS',
    ejTitle: 'Entité juridique de rattachement',
    establishmentsTitle: (n: number) =>
      n === 0 ? 'Aucun établissement rattaché' : n === 1 ? '1 établissement rattaché' : `${n} établissements rattachés`,
    establishmentsCaption: 'Établissements géographiques rattachés à cette entité juridique',
    columns: { finess: 'FINESS', name: 'Nom', category: 'Catégorie', city: 'Commune', status: 'Statut' },
    membership: {
      title: 'Adhésion à RPPS+',
      badge: { joined: 'Adhérent RPPS+', partial: 'Adhésion partielle', pending: 'Adhésion en cours', 'not-joined': 'Non adhérent' },
      joinedEj: 'Cette entité juridique a adhéré à RPPS+ : ses gestionnaires enregistrent les professionnels de tous ses établissements.',
      joinedThroughEj: 'Cet établissement a adhéré à RPPS+ par le contrat de son entité juridique.',
      joinedOwn: 'Cet établissement a adhéré à RPPS+ par un contrat qui lui est propre.',
      partial: (n: number) =>
        `L’entité juridique n’a pas adhéré dans son ensemble, mais ${n === 1 ? 'un de ses établissements a adhéré' : `${n} de ses établissements ont adhéré`} avec un contrat propre. Chacun des autres peut demander l’adhésion depuis sa page.`,
      pending: 'Une demande d’adhésion est en cours : elle est en préparation ou l’ANS l’examine. Une autre demande n’est pas possible d’ici là.',
      notJoined: 'Cette structure n’a pas encore adhéré à RPPS+.',
      closed: 'Elle est fermée dans FINESS : elle ne peut pas adhérer.',
      howTo:
        'Pour adhérer, le représentant légal (ou la personne qu’il charge de la demande) se connecte avec Pro Santé Connect (carte CPS ou CPE, ou e-CPS), vérifie la structure, télécharge le contrat d’adhésion pré-rempli, le signe et le dépose. L’ANS active ensuite le contrat et commande la carte CDE du représentant légal.',
      request: 'Demander l’adhésion',
      signInToRequest: 'Se connecter pour demander l’adhésion',
      pscNeeded: 'La demande se fait avec Pro Santé Connect : connectez-vous avec votre carte CPS ou CPE, ou votre e-CPS.',
      manage: 'Gérer les habilitations',
      column: 'RPPS+',
      joinedCell: 'Adhérent',
      notJoinedCell: 'Non adhérent',
    },
    fixFiness:
      'Ces informations proviennent du répertoire FINESS. Une erreur ? Elle se corrige auprès de l’ARS ou du Conseil départemental, pas dans RPPS+.',
  },
  kind: { EJ: 'Entité juridique', EG: 'Établissement' },
  kindShort: { EJ: 'EJ', EG: 'EG' },
  status: { open: 'Ouvert', closed: 'Fermé' },
  finessLabel: (finess: string) => `FINESS ${finess}`,
  notProvided: 'Non renseigné',
} as const;

/** '2025-11-03' → '3 novembre 2025'; the first of the month is written « 1er ». */
export function formatDate(iso: string | null): string | null {
  if (!iso) return null;
  const text = new Date(`${iso}T00:00:00Z`).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return text.replace(/^1 /, '1er ');
}
