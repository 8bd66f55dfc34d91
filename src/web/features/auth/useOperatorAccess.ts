import { useSession } from './session.ts';

/**
 * Whether the signed-in person is an ANS operator, for the back-office pages: `operator` once the
 * session says so, `refused` once it says otherwise (nothing of either while it loads). The server
 * decides every action; the page only avoids showing a misleading empty list.
 */
export function useOperatorAccess(): { operator: boolean; refused: boolean } {
  const session = useSession();
  const operator = session.status === 'ready' && session.session.kind === 'person' && session.session.roles.some((r) => r.role === 'operator');
  return { operator, refused: session.status === 'ready' && !operator };
}
