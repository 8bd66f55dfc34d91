/**
 * Versions of the terms of use in force (issue 16, item 2). Pure constants, read by the server
 * (recorded with each consent) and by the web app (shown on the pages and next to each consent):
 * src/shared holds what both import, and imports neither.
 * A new version of a text = a new value here and the text of the pages updated with it.
 */

/** Conditions générales d'utilisation du portail RPPS+ (page /aide/cgu). */
export const rppsCguVersion = '2026-12-01';

/**
 * CGU des moyens d'identification électronique (MIE) délivrés par l'ANS: the document the RL
 * reads before signing the contrat d'adhésion (seed 000, « Contractualiser avec l'ANS », étape 1).
 */
export const mieCguVersion = 'ANS_CGU_MIE_210927';
