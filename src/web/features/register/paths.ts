/** Pages of the register feature (the same as in src/web/app/routes.ts). */
export const registerPaths = {
  list: '/professionnels',
  register: '/professionnels/enregistrer',
  addSituation: '/professionnels/ajouter-une-situation',
  person: (rpps: string) => `/professionnels/${encodeURIComponent(rpps)}`,
  reviews: '/identites-a-verifier',
} as const;
