import { formatParisDateTime } from '../../app/format.ts';

/** French UI strings of the public directory pages. */
export const directoryTexts = {
  search: {
    pageTitle: 'Annuaire des professionnels à rôle',
    title: 'Annuaire des professionnels à rôle',
    lead: 'Recherchez un professionnel enregistré au RPPS par son nom d’exercice, son numéro RPPS, sa profession, son rôle, son établissement ou son département. Seules les données publiques sont affichées.',
    formLegend: 'Rechercher un professionnel',
    query: { label: 'Nom d’exercice ou numéro RPPS', hint: 'Début du nom ou du prénom (ex. : mart), ou les 11 chiffres du RPPS' },
    profession: { label: 'Profession', hint: 'Médecin, infirmier, éducateur spécialisé…', any: 'Toutes les professions' },
    role: { label: 'Rôle', hint: 'Le rôle tenu dans l’établissement', any: 'Tous les rôles' },
    structure: { label: 'Numéro FINESS de l’établissement', hint: '9 caractères, par exemple 690800206' },
    department: { label: 'Département', hint: 'Ex. : 69, 2A, 974' },
    required: 'Saisissez un nom d’exercice (par exemple mart) ou un numéro RPPS à 11 chiffres, ou bien un numéro FINESS, un département, une profession ou un rôle.',
    invalidFiness: 'Le numéro FINESS compte 9 caractères : des chiffres, avec 2A ou 2B en deuxième position pour la Corse (par exemple 690800206).',
    invalidDepartment: 'Le département est un numéro à 2 ou 3 chiffres, ou 2A ou 2B pour la Corse (par exemple 69 ou 974).',
    submit: 'Rechercher',
    resultsTitle: 'Résultats',
    invite: 'Saisissez un nom d’exercice ou un numéro RPPS, ou choisissez un établissement, un département, une profession ou un rôle, puis lancez la recherche.',
    loading: 'Recherche en cours…',
    count: (n: number, more: boolean) =>
      more
        ? `Plus de ${n.toLocaleString('fr-FR')} professionnels : précisez la recherche pour les voir tous`
        : n === 0
          ? 'Aucun professionnel'
          : n === 1
            ? '1 professionnel'
            : `${n.toLocaleString('fr-FR')} professionnels`,
    emptyTitle: 'Aucun professionnel ne correspond',
    emptyDesc: 'Vérifiez l’orthographe ou élargissez la recherche.',
    errorTitle: 'La recherche n’a pas abouti',
    rpps: (rpps: string) => `RPPS ${rpps}`,
    pagination: 'Pagination des résultats',
    firstPage: 'Premiers résultats',
    currentPage: (page: number) => `Page ${page}`,
    nextPage: 'Résultats suivants',
  },
  downloads: {
    title: 'Téléchargement',
    lead: 'Les données publiques de l’annuaire au format PS_LibreAcces de l’Annuaire Santé (texte UTF-8 séparé par des « | », une ligne par professionnel et situation d’exercice). Le fichier complet et le fichier des changements du jour (avec la liste des retraits) sont produits chaque nuit.',
    loading: 'Chargement des fichiers…',
    error: 'La liste des fichiers n’a pas pu être chargée.',
    empty: 'Aucun fichier n’a encore été produit.',
    label: (kind: 'full' | 'delta') => (kind === 'full' ? 'Extraction complète de l’annuaire' : 'Changements du jour (delta)'),
    details: (f: { generatedAt: string; sizeBytes: number; lineCount: number }) =>
      `ZIP – ${formatSize(f.sizeBytes)} – ${f.lineCount.toLocaleString('fr-FR')} lignes – produit le ${formatParisDateTime(f.generatedAt)}`,
  },
  card: {
    pageTitle: (name: string) => `${name} — Annuaire des professionnels à rôle`,
    breadcrumbSearch: 'Annuaire des professionnels à rôle',
    situations: 'Situations d’exercice en cours',
    noSituation: 'Aucune situation d’exercice en cours.',
    identifiers: (rpps: string, idnps: string) => `RPPS ${rpps} — identifiant national ${idnps}`,
    since: (date: string) => `Depuis le ${new Date(`${date}T00:00:00`).toLocaleDateString('fr-FR')}`,
    salaried: 'Salarié',
    notFoundTitle: 'Professionnel introuvable',
    notFoundDesc: 'Aucun professionnel publié ne porte ce numéro RPPS.',
    loading: 'Chargement…',
  },
};

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} o`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} ko`;
  return `${(bytes / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}
