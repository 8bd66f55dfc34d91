import type { Config } from '../../config.ts';

/**
 * Whether the DMP reads the roles of RPPS+ yet. Seed 001 says DMP consultation by professionals
 * à rôle is "à venir", seed 004 "à terme": the matrix says what each role will read, and applies
 * from the day the DMP opens it (DMP_ROLE_ACCESS_FROM; null while that day is not known).
 */
export interface DmpOpening {
  open: boolean;
  /** The opening day when known (YYYY-MM-DD). */
  from: string | null;
}

export function dmpOpening(config: Pick<Config, 'dmp'>, on: string): DmpOpening {
  const from = config.dmp.roleAccessFrom;
  return { open: from !== null && from <= on, from };
}
