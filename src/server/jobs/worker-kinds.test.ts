import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config.ts';
import { workerKinds } from './index.ts';

const known = ['mail.send', 'bulk-import.batch', 'directory.publish', 'directory.extract', 'ecps.invitations'];

describe('the kinds of work a worker runs (JOBS_ONLY)', () => {
  it('runs every kind when nothing is named', () => {
    const works = workerKinds(undefined, known);
    expect(known.every(works)).toBe(true);
  });

  it('runs the kinds named, and every kind of a family named by the part before the dot', () => {
    const works = workerKinds(['bulk-import.batch', 'directory'], known);
    expect(known.filter(works)).toEqual(['bulk-import.batch', 'directory.publish', 'directory.extract']);
    expect(workerKinds(['directory.extract'], known)('directory.publish')).toBe(false);
  });

  it('refuses a name that is no kind nor family, in one line naming JOBS_ONLY and the known kinds', () => {
    let error: unknown;
    try {
      workerKinds(['bulk-import', 'mails'], known);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^Invalid configuration: JOBS_ONLY .*"mails".*known: bulk-import\.batch, /);
    expect((error as Error).message).not.toContain('\n');
    // A part of a name is not a family.
    expect(() => workerKinds(['direct'], known)).toThrow(ConfigError);
  });
});
