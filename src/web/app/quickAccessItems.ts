import type { HeaderProps } from '@codegouvfr/react-dsfr/Header';
import { useAuthQuickAccessItems } from '../features/auth/useAuthQuickAccessItem.ts';
import { helpTexts } from '../features/help/texts.ts';
import { paths } from './routes.ts';

/**
 * The header's quick-access items ("accès rapides"), in display order. DSFR allows at most
 * three: "Aide" (on every page, issue 16), then the sign-in feature's items
 * ("Se connecter", or the person and "Se déconnecter"). The display settings
 * ("Paramètres d'affichage") stay in the footer.
 * Kept as a hook so the items can depend on the session.
 */
export function useQuickAccessItems(): HeaderProps.QuickAccessItem[] {
  return [{ iconId: 'fr-icon-question-line', text: helpTexts.hub.pageTitle, linkProps: { to: paths.help } }, ...useAuthQuickAccessItems()];
}
