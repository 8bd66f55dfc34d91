/** French strings of "Mon espace" as a task list (issue 17). */
/** "Aucune demande", "1 demande", "2 demandes" (French agrees "aucun/aucune" with the noun). */
const plural = (n: number, one: string, many: string, none = `Aucun ${one}`) => (n === 0 ? none : n === 1 ? `1 ${one}` : `${n.toLocaleString('fr-FR')} ${many}`);
const feminine = (n: number, one: string, many: string) => plural(n, one, many, `Aucune ${one}`);

export const mySpaceTexts = {
  hello: 'Bonjour',
  loading: 'Chargement de vos tâches…',
  nothing: 'Rien ne vous attend pour le moment.',
  register: {
    title: 'Vos enregistrements',
    requests: { title: 'Demandes à traiter', desc: (n: number) => feminine(n, 'demande de pré-enregistrement à vérifier', 'demandes de pré-enregistrement à vérifier') },
    drafts: { title: 'Enregistrements en cours', desc: (n: number) => plural(n, 'enregistrement à reprendre', 'enregistrements à reprendre') },
    professionals: { title: 'Mes professionnels', desc: (n: number) => plural(n, 'professionnel en activité dans vos établissements', 'professionnels en activité dans vos établissements') },
    imports: { title: 'Import en masse', desc: (n: number) => (n === 0 ? 'Aucun import de fichier' : n === 1 ? '1 import de fichier' : `${n} imports de fichiers`) },
  },
  drafts: {
    title: 'Enregistrements en cours',
    unnamed: 'Enregistrement sans nom',
    steps: (n: number) => `${n} étape${n > 1 ? 's' : ''} sur 4 remplie${n > 1 ? 's' : ''}`,
    updated: (d: string) => `modifié le ${d}`,
    resume: 'Reprendre',
    remove: 'Supprimer',
    removeTitle: 'Supprimer cet enregistrement en cours ?',
    removeConsequence: 'Ce qui a été saisi (état civil, coordonnées, situation, copie de la pièce d’identité) est effacé. Cette action est définitive.',
    removed: 'L’enregistrement en cours a été supprimé.',
    all: 'Voir tous les enregistrements en cours',
  },
  imports: {
    title: 'Derniers imports',
    caption: 'Derniers imports de fichiers',
    file: 'Fichier',
    date: 'Date',
    status: 'État',
    result: 'Résultat',
    report: 'Rapport',
    statuses: { committing: 'En cours', done: 'Terminé' } as Record<string, string>,
    result_: (imported: number, rejected: number, rows: number) => `${imported} importée${imported > 1 ? 's' : ''}, ${rejected} en erreur, sur ${rows} ligne${rows > 1 ? 's' : ''}`,
    download: (file: string) => `Télécharger le rapport de ${file}`,
    downloadShort: 'Télécharger',
  },
  structures: {
    rl: 'Représentant légal',
    contract: { title: 'Contrat d’adhésion', none: 'Aucun contrat', desc: (status: string) => `Contrat : ${status}` },
    succession: 'Un nouveau représentant légal attend la validation de l’ANS.',
    habilitations: {
      title: 'Habilitations',
      desc: (n: number) => plural(n, 'gestionnaire habilité', 'gestionnaires habilités'),
      endingSoon: (n: number) => (n === 1 ? '1 habilitation prend fin dans les 30 jours' : `${n} habilitations prennent fin dans les 30 jours`),
    },
  },
  operator: {
    title: 'Back-office de l’ANS',
    identities: { title: 'Identités à vérifier', desc: (n: number) => feminine(n, 'identité à vérifier', 'identités à vérifier') },
    contracts: { title: 'Demandes d’adhésion', desc: (n: number) => feminine(n, 'demande d’adhésion ou de changement de représentant légal à traiter', 'demandes d’adhésion ou de changement de représentant légal à traiter') },
    support: { title: 'Demandes d’assistance', desc: (n: number) => feminine(n, 'demande d’assistance ouverte', 'demandes d’assistance ouvertes') },
  },
  professional: {
    title: 'Mon espace professionnel',
    record: { title: 'Mon dossier RPPS', desc: (n: number) => feminine(n, 'situation d’exercice active', 'situations d’exercice actives') },
    ecps: {
      title: 'Activer mon e-CPS',
      desc: { none: 'Pas encore d’e-CPS : activez-la avec le code reçu par SMS', invited: 'Votre e-CPS est à activer avec le code reçu par SMS', active: 'Votre e-CPS est activée' } as Record<string, string>,
    },
    access: { title: 'Mes accès', desc: 'Vos rôles et ce qu’ils vous ouvrent dans le DMP' },
    requests: { title: 'Mes demandes', desc: (n: number) => feminine(n, 'modification de coordonnées en attente de code', 'modifications de coordonnées en attente de code') },
  },
  preregistration: {
    title: 'Mon pré-enregistrement',
    statuses: {
      none: 'Aucune demande : commencez votre pré-enregistrement',
      draft: 'Demande en brouillon, à envoyer',
      pending: 'Demande envoyée, en attente de validation par le gestionnaire',
      validated: 'Demande validée',
      rejected: 'Demande refusée',
      withdrawn: 'Demande retirée',
    } as Record<string, string>,
  },
} as const;
