import { describe, expect, it } from 'vitest';
import { formatPolicyError, parsePolicyText } from '../../../source/config/policy-loader.js';
import { describePolicyAction } from '../../../source/domain/policy.js';
import { isIsolatingAction } from '../../../source/journal/rebuild.js';

const head = `id = "p"\nname = "p"\n`;

describe('policies: Capture and capture = true (DESIGN §13)', () => {
  it('accepts action = "Capture" in any casing and as a table', () => {
    for (const text of [`action = "Capture"`, `action = "capture"`, `[action]\nCapture = []`]) {
      const { policies, errors } = parsePolicyText('c.toml', head + text);
      expect(errors.map(formatPolicyError)).toEqual([]);
      expect(policies[0]!.action).toEqual({ kind: 'capture' });
      expect(policies[0]!.capture).toBe(false);
    }
  });

  it('capture = true follows a containment action, and as an escalation step', () => {
    const { policies, errors } = parsePolicyText('c.toml', `${head}capture = true\naction = "pause"`);
    expect(errors).toEqual([]);
    expect(policies[0]).toMatchObject({ action: { kind: 'pause' }, capture: true });
    expect(describePolicyAction(policies[0]!)).toBe('pause+capture');
    const ladder = parsePolicyText('e.toml', `${head}escalation = ["Pause", "Capture", "Kill"]`);
    expect(ladder.errors).toEqual([]);
    expect(ladder.policies[0]!.escalation.map((a) => a.kind)).toEqual(['pause', 'capture', 'kill']);
  });

  it('rejects capture = true on a Capture action, and a capture that is not a boolean, naming the line', () => {
    expect(
      parsePolicyText('c.toml', `${head}capture = true\naction = "Capture"`).errors.map(formatPolicyError),
    ).toEqual(['c.toml:3: capture: capture = true with action Capture would capture twice: drop one']);
    const [error] = parsePolicyText('c.toml', `${head}capture = "yes"\naction = "pause"`).errors.map(
      formatPolicyError,
    );
    expect(error).toMatch(/^c\.toml:3: capture: /);
    expect(
      parsePolicyText('c.toml', `${head}[action]\nCapture = { dir = "/x" }`).errors.map(formatPolicyError)[0],
    ).toMatch(/^c\.toml:\d: action/);
  });

  it('a capture leaves nothing to undo: never counted as isolation', () => {
    expect(isIsolatingAction('capture')).toBe(false);
  });
});
