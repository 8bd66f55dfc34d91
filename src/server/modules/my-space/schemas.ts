import { z } from 'zod';

/** GET /api/me/tasks: what waits for the signed-in person, per role ("Mon espace", issue 17). */
export const tasksView = z.object({
  /** A gestionnaire (or RL, who carries the gestionnaire rights): the work of his current register scope. */
  register: z
    .object({
      pendingRequests: z.number().int(),
      drafts: z.object({
        total: z.number().int(),
        latest: z.array(z.object({ id: z.string(), name: z.string().nullable(), completedSteps: z.number().int(), updatedAt: z.string() })),
      }),
      activeProfessionals: z.number().int(),
      imports: z.object({
        total: z.number().int(),
        latest: z.array(
          z.object({
            id: z.string(),
            fileName: z.string(),
            mode: z.string(),
            status: z.enum(['committing', 'done']),
            rows: z.number().int(),
            imported: z.number().int(),
            rejected: z.number().int(),
            createdAt: z.string(),
          }),
        ),
      }),
    })
    .nullable(),
  /** RL or mandataire: each contracting entity he manages. */
  structures: z.array(
    z.object({
      finess: z.string(),
      name: z.string().nullable(),
      legalRepresentative: z.boolean(),
      contractStatus: z.enum(['draft', 'submitted', 'active', 'refused', 'terminated']).nullable(),
      strategy: z.enum(['centralized', 'decentralized']).nullable(),
      successionPending: z.boolean(),
      activeHabilitations: z.number().int(),
      habilitationsEndingSoon: z.number().int(),
    }),
  ),
  operator: z.object({ identitiesToReview: z.number().int(), contractsToProcess: z.number().int(), openSupportRequests: z.number().int() }).nullable(),
  /** A registered professional (Pro Santé Connect, IDNPS "8" + RPPS). */
  professional: z
    .object({ rpps: z.string(), activeSituations: z.number().int(), ecps: z.enum(['none', 'invited', 'active']), pendingContactChanges: z.number().int() })
    .nullable(),
  /** A person identified with FranceConnect: his latest pre-registration request. */
  preregistration: z.object({ status: z.enum(['draft', 'pending', 'validated', 'rejected', 'withdrawn']).nullable() }).nullable(),
});
export type TasksView = z.infer<typeof tasksView>;
