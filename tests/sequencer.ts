/**
 * The order test files start in. Vitest's own order (longest or largest first, project by project) would
 * start every browser file after the last API file, so in the tail two Chromium walks would share the two
 * cores. Spreading the browser files evenly through the run keeps one browser file beside API work most of
 * the time, and the run as short as the work allows.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Interleaves `few` evenly into `many`, keeping each list's own order. */
export function spreadEvenly<T>(many: T[], few: T[]): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < many.length || j < few.length) {
    // Emit from `few` while it is behind its share of what has been emitted so far.
    const fewBehind = j < few.length && (i >= many.length || j / few.length <= i / many.length);
    out.push(fewBehind ? few[j++]! : many[i++]!);
  }
  return out;
}

export default class SpreadBrowserFiles extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isBrowser = (s: TestSpecification) => s.project.name === 'browser';
    return spreadEvenly(
      sorted.filter((s) => !isBrowser(s)),
      sorted.filter(isBrowser),
    );
  }
}
