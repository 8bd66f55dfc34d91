import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { fileWeights } from './file-weights.ts';

/**
 * Longest files first, across projects. Vitest's own order runs the projects one after the other
 * (browser, server, then server-isolated: the bulk import's crash and scale tests, the heaviest
 * files, came last) and, without its cache (a fresh CI clone), the larger files first within each.
 * A heavy file started last runs alone on one core while the other waits: on two cores that tail
 * was a minute of a CI run. The files of tests/support/file-weights.ts start first, heaviest
 * first; the others keep vitest's order (its cache when it has one, else file size).
 */
export default class HeaviestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const root = this.ctx.config.root;
    const weight = (spec: TestSpecification) => fileWeights[path.relative(root, spec.moduleId).split(path.sep).join('/')] ?? 0;
    return ordered
      .map((spec, index) => ({ spec, index, weight: weight(spec) }))
      .sort((a, b) => b.weight - a.weight || a.index - b.index)
      .map(({ spec }) => spec);
  }
}
