import type { TestProject } from 'vitest/node';
import { setupEngine } from './engine.js';

/** The Podman projects: the same integration tests against scripts/podman.sh's private service. */
export default function setup(project: TestProject): void {
  setupEngine(project, 'podman');
}
