import { headerFooterDisplayItem } from '@codegouvfr/react-dsfr/Display';
import type { HeaderProps } from '@codegouvfr/react-dsfr/Header';
import { useAuthQuickAccessItems } from '../features/auth/useAuthQuickAccessItem.ts';

/**
 * The header's quick-access items ("accès rapides"), in display order. DSFR allows at most
 * three. Extension point: the sign-in feature (src/web/features/auth/) adds its
 * "Se connecter" / "Se déconnecter" item here, in first position — e.g.
 * `const auth = useAuthQuickAccessItem(); return [auth, headerFooterDisplayItem]`.
 * Kept as a hook so that item can depend on the session.
 */
export function useQuickAccessItems(): HeaderProps.QuickAccessItem[] {
  return [...useAuthQuickAccessItems(), headerFooterDisplayItem];
}
