/** API types of "Mon espace" (src/server/modules/my-space/schemas.ts). */
export const tasksApi = '/api/me/tasks';

export interface Tasks {
  register: {
    pendingRequests: number;
    drafts: { total: number; latest: Array<{ id: string; name: string | null; completedSteps: number; updatedAt: string }> };
    activeProfessionals: number;
    imports: {
      total: number;
      latest: Array<{ id: string; fileName: string; mode: string; status: 'committing' | 'done'; rows: number; imported: number; rejected: number; createdAt: string }>;
    };
  } | null;
  structures: Array<{
    finess: string;
    name: string | null;
    legalRepresentative: boolean;
    contractStatus: 'draft' | 'submitted' | 'active' | 'refused' | 'terminated' | null;
    strategy: 'centralized' | 'decentralized' | null;
    successionPending: boolean;
    activeHabilitations: number;
    habilitationsEndingSoon: number;
  }>;
  operator: { identitiesToReview: number; contractsToProcess: number; openSupportRequests: number } | null;
  professional: { rpps: string; activeSituations: number; ecps: 'none' | 'invited' | 'active'; pendingContactChanges: number } | null;
  preregistration: { status: 'draft' | 'pending' | 'validated' | 'rejected' | 'withdrawn' | null } | null;
}
