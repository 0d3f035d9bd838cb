import type { ContainerInspect } from '../docker/inspect.js';
import type { Posture, PostureLevel } from '../domain/snapshot.js';
import { postureChecks, type CheckFailure } from './checks.js';
import { readSecurityView } from './security-view.js';

/** Weakest first. */
export const postureLevels: readonly PostureLevel[] = ['none', 'minimal', 'standard', 'maximum'];

export function postureRank(level: PostureLevel): number {
  return postureLevels.indexOf(level);
}

/** Every check that failed, in table order, each with the highest level it still allows. */
export function postureFailures(inspect: ContainerInspect): CheckFailure[] {
  const read = readSecurityView(inspect);
  if (!read.ok) return [{ check: 'inspect', detail: `cannot grade: ${read.detail}`, capsAt: 'none' }];
  return postureChecks.flatMap((c) => c.evaluate(read.view).map((f) => ({ check: c.name, ...f })));
}

/**
 * Grade a container from its `docker inspect` (DESIGN §11): the level is the highest one no failed
 * check rules out. Pure: the engine calls it on every inspect it already has.
 */
export function gradePosture(inspect: ContainerInspect): Posture {
  const failures = postureFailures(inspect);
  const level = failures.reduce<PostureLevel>(
    (lowest, f) => (postureRank(f.capsAt) < postureRank(lowest) ? f.capsAt : lowest),
    'maximum',
  );
  return { level, failed: failures.map(({ check, detail }) => ({ check, detail })) };
}
