import { describe, expect, it } from 'vitest';
import { decide, resolveContainer } from '../../../source/policy/decide.js';
import { alert, compiled, container, ctx, hexId, history } from './fixtures.js';

const pause = (id: string, extra = '') =>
  `[[policies]]\nid = "${id}"\nname = "${id}"\naction = "pause"\n${extra}\n`;

function verdicts(result: ReturnType<typeof decide>) {
  return result.decisions.map((d) => [
    d.policy,
    d.container?.name ?? null,
    d.action?.kind ?? null,
    d.verdict,
  ]);
}

describe('candidates and order', () => {
  const web = container('web-1');
  const inv = [web];

  it('first match wins, in (priority, id) order', () => {
    const set = compiled(
      pause('b', 'priority = 5') + pause('a', 'priority = 5') + pause('z', 'priority = 1'),
    );
    const r = decide(alert({ container: { name: 'web-1' } }), set, ctx(inv));
    expect(verdicts(r)).toEqual([['z', 'web-1', 'pause', 'execute']]);
    expect(set.policies.map((p) => p.policy.id)).toEqual(['z', 'a', 'b']);
    expect(r.trace).toEqual([{ policy: 'z', outcome: 'decided', reason: 'matches web-1' }]);
  });

  it('continue = true chains to lower-priority policies', () => {
    const set = compiled(
      pause('first', 'priority = 1\ncontinue = true') +
        `[[policies]]\nid = "second"\nname = "s"\npriority = 2\naction = "notify"\n` +
        pause('third', 'priority = 3'),
    );
    const r = decide(alert({ container: { name: 'web-1' } }), set, ctx(inv));
    expect(verdicts(r)).toEqual([
      ['first', 'web-1', 'pause', 'execute'],
      ['second', 'web-1', 'notify', 'execute'],
    ]);
    expect(r.trace.map((t) => t.policy)).toEqual(['first', 'second']);
  });

  it('skips disabled policies, from the file or at runtime, and says so in the trace', () => {
    const set = compiled(
      pause('off', 'priority = 1\nenabled = false') +
        pause('toggled', 'priority = 2') +
        pause('on', 'priority = 3'),
    );
    const r = decide(
      alert({ container: { name: 'web-1' } }),
      set,
      ctx(inv, { disabledPolicies: new Set(['toggled']) }),
    );
    expect(verdicts(r)).toEqual([['on', 'web-1', 'pause', 'execute']]);
    expect(r.trace).toEqual([
      { policy: 'off', outcome: 'skipped', reason: 'disabled' },
      { policy: 'toggled', outcome: 'skipped', reason: 'disabled at runtime' },
      { policy: 'on', outcome: 'decided', reason: 'matches web-1' },
    ]);
  });

  it('severity at the threshold passes, one below does not (case-insensitive names)', () => {
    const set = compiled(pause('p', 'severity_threshold = "hIgH"'));
    const at = decide(alert({ severity: 'High', container: { name: 'web-1' } }), set, ctx(inv));
    const above = decide(alert({ severity: 'Critical', container: { name: 'web-1' } }), set, ctx(inv));
    const below = decide(alert({ severity: 'Medium', container: { name: 'web-1' } }), set, ctx(inv));
    expect(at.decisions[0]!.verdict).toBe('execute');
    expect(above.decisions[0]!.verdict).toBe('execute');
    expect(below.decisions[0]).toMatchObject({
      policy: null,
      verdict: 'no-match',
      container: { name: 'web-1' },
    });
    expect(below.trace[0]!.reason).toBe('severity Medium is below the threshold High');
  });

  it('rules and sources are globs over the whole string; * crosses "/"; empty = any', () => {
    const set = compiled(pause('p', 'rules = ["fork_storm*", "a*z"]\nsources = ["brig:*"]'));
    const d = (rule: string, source: string) =>
      decide(alert({ rule, source, container: { name: 'web-1' } }), set, ctx(inv)).decisions[0]!.verdict;
    expect(d('fork_storm', 'brig:fork_storm')).toBe('execute');
    expect(d('fork_storm_2', 'brig:x/y')).toBe('execute');
    expect(d('a/b/c/z', 'brig:x')).toBe('execute');
    expect(d('xfork_storm', 'brig:x')).toBe('no-match');
    expect(d('fork_storm', 'falco')).toBe('no-match');
    expect(d('Fork_storm', 'brig:x')).toBe('no-match');
    const any = compiled(pause('any', 'rules = []\nsources = []'));
    expect(
      decide(alert({ rule: 'whatever', source: 'x', container: { name: 'web-1' } }), any, ctx(inv))
        .decisions[0]!.verdict,
    ).toBe('execute');
  });

  it('? is exactly one character, including "/"', () => {
    const set = compiled(pause('p', 'rules = ["a?b"]'));
    const d = (rule: string) =>
      decide(alert({ rule, container: { name: 'web-1' } }), set, ctx(inv)).decisions[0]!.verdict;
    expect(d('a/b')).toBe('execute');
    expect(d('axb')).toBe('execute');
    expect(d('ab')).toBe('no-match');
    expect(d('axxb')).toBe('no-match');
  });
});

describe('target filter', () => {
  const decideOn = (filter: string, c: ReturnType<typeof container>) =>
    decide(
      alert({ container: { id: c.id } }),
      compiled(pause('p', `[policies.target_filter]\n${filter}`)),
      ctx([c]),
    ).decisions[0]!.verdict;

  it('empty lists are no constraint', () => {
    expect(decideOn('container_names = []\nimage_patterns = []\nlabels = []', container('anything'))).toBe(
      'execute',
    );
  });

  it('labels: "key" means present, "key=glob" matches the value, OR within the list', () => {
    const prod = container('a', { labels: { env: 'prod-eu', team: '' } });
    expect(decideOn('labels = ["team"]', prod)).toBe('execute');
    expect(decideOn('labels = ["env=prod*"]', prod)).toBe('execute');
    expect(decideOn('labels = ["env=prod"]', prod)).toBe('no-match');
    expect(decideOn('labels = ["owner"]', prod)).toBe('no-match');
    expect(decideOn('labels = ["owner", "env=*-eu"]', prod)).toBe('execute');
    expect(decideOn('labels = ["constructor"]', prod)).toBe('no-match');
  });

  it('AND across lists', () => {
    const c = container('web-1', { labels: { env: 'prod' }, image: 'nginx:1.27' });
    expect(decideOn('container_names = ["web-*"]\nlabels = ["env=prod"]', c)).toBe('execute');
    expect(decideOn('container_names = ["web-*"]\nlabels = ["env=dev"]', c)).toBe('no-match');
    expect(decideOn('container_names = ["api-*"]\nimage_patterns = ["nginx:*"]', c)).toBe('no-match');
  });

  it('images: implied :latest, docker.io/ and docker.io/library/ stripped', () => {
    expect(decideOn('image_patterns = ["redis:*"]', container('r', { image: 'redis' }))).toBe('execute');
    expect(decideOn('image_patterns = ["redis:latest"]', container('r', { image: 'redis' }))).toBe('execute');
    expect(decideOn('image_patterns = ["nginx"]', container('r', { image: 'nginx:latest' }))).toBe('execute');
    expect(
      decideOn('image_patterns = ["nginx:*"]', container('n', { image: 'docker.io/library/nginx:1.25' })),
    ).toBe('execute');
    expect(
      decideOn(
        'image_patterns = ["bitnami/redis:*"]',
        container('n', { image: 'docker.io/bitnami/redis:7' }),
      ),
    ).toBe('execute');
    expect(
      decideOn('image_patterns = ["docker.io/library/nginx:*"]', container('n', { image: 'nginx:1.25' })),
    ).toBe('execute');
    expect(decideOn('image_patterns = ["docker.io/*"]', container('n', { image: 'ghcr.io/x/nginx:1' }))).toBe(
      'no-match',
    );
    expect(decideOn('image_patterns = ["nginx:*"]', container('n', { image: 'nginxx:1' }))).toBe('no-match');
  });

  it('images: registry ports are not tags, and digests match', () => {
    expect(
      decideOn(
        'image_patterns = ["localhost:5000/app:*"]',
        container('a', { image: 'localhost:5000/app:1' }),
      ),
    ).toBe('execute');
    expect(
      decideOn(
        'image_patterns = ["localhost:5000/app:latest"]',
        container('a', { image: 'localhost:5000/app' }),
      ),
    ).toBe('execute');
    expect(
      decideOn('image_patterns = ["localhost:*"]', container('a', { image: 'localhost:5000/team/app:1' })),
    ).toBe('execute');
    const digest = `nginx@sha256:${'b'.repeat(64)}`;
    expect(decideOn('image_patterns = ["nginx@sha256:*"]', container('d', { image: digest }))).toBe(
      'execute',
    );
    expect(decideOn('image_patterns = ["nginx:*"]', container('d', { image: digest }))).toBe('no-match');
    expect(
      decideOn(
        'image_patterns = ["nginx:1.25"]',
        container('d', { image: `nginx:1.25@sha256:${'c'.repeat(64)}` }),
      ),
    ).toBe('execute');
  });

  it('posture_below: only containers graded below the level; unknown posture never matches', () => {
    const weak = container('weak');
    const strong = container('strong');
    const levels = new Map([
      [weak.id, 'minimal' as const],
      [strong.id, 'standard' as const],
    ]);
    const set = compiled(pause('p', '[policies.target_filter]\nposture_below = "Standard"'));
    const posture = (id: string) => levels.get(id);
    expect(
      decide(alert({ container: { name: 'weak' } }), set, ctx([weak, strong], { posture })).decisions[0]!
        .verdict,
    ).toBe('execute');
    expect(
      decide(alert({ container: { name: 'strong' } }), set, ctx([weak, strong], { posture })).decisions[0]!
        .verdict,
    ).toBe('no-match');
    expect(
      decide(alert({ container: { name: 'weak' } }), set, ctx([weak, strong])).decisions[0]!.verdict,
    ).toBe('no-match');
  });
});

describe('container references', () => {
  const a = container('web-1', { id: 'abcdef012345' + '1'.repeat(52) });
  const b = container('web-2', { id: 'abcdef012345' + '2'.repeat(52) });
  const c = container('db', { id: 'fedcba987654' + '3'.repeat(52) });
  const inv = [a, b, c];

  it('resolves by full id, unique prefix of 12+ hex, exact name with or without "/"', () => {
    expect(resolveContainer({ id: a.id }, inv)).toBe(a);
    expect(resolveContainer({ id: a.id.toUpperCase() }, inv)).toBe(a);
    expect(resolveContainer({ id: 'fedcba987654' }, inv)).toBe(c);
    expect(resolveContainer({ id: 'abcdef0123451' }, inv)).toBe(a);
    expect(resolveContainer({ name: 'db' }, inv)).toBe(c);
    expect(resolveContainer({ name: '/db' }, inv)).toBe(c);
  });

  it('never guesses: ambiguous or short prefixes, partial names and unknown ids are undefined', () => {
    expect(resolveContainer({ id: 'abcdef012345' }, inv)).toBeUndefined();
    expect(resolveContainer({ id: 'fedcba98765' }, inv)).toBeUndefined();
    expect(resolveContainer({ name: 'web' }, inv)).toBeUndefined();
    expect(resolveContainer({ name: 'WEB-1' }, inv)).toBeUndefined();
    expect(resolveContainer({ id: hexId(999999) }, inv)).toBeUndefined();
    const twin = container('db', { engine: 'other' });
    expect(resolveContainer({ name: 'db' }, [...inv, twin])).toBeUndefined();
  });

  it('an unresolvable container gets unknown-container, never a guess', () => {
    const set = compiled(pause('p'));
    const r = decide(alert({ container: { name: 'web' } }), set, ctx(inv));
    expect(r.decisions).toEqual([
      {
        alert: r.decisions[0]!.alert,
        policy: null,
        container: null,
        action: null,
        verdict: 'unknown-container',
        reason: 'container "web" is not in the inventory',
      },
    ]);
  });

  it('an id is authoritative: an id that matches nothing never falls back to the name', () => {
    // A removed container's id, and the name its recreated successor now has.
    const successor = container('web-1', { id: 'ab'.repeat(32) });
    const r = decide(
      alert({ container: { id: 'cd'.repeat(6), name: 'web-1' } }),
      compiled(pause('p')),
      ctx([successor]),
    );
    expect(r.decisions.map((d) => [d.verdict, d.container])).toEqual([['unknown-container', null]]);
    expect(r.decisions[0]!.reason).toMatch(
      /no container has id cdcdcdcdcdcd \(the name "web-1" is not used in its place\)/,
    );
  });

  it('an id and a name that name two different containers are a mismatch: neither is touched, both named', () => {
    const a = container('web-1', { id: 'ab'.repeat(32) });
    const b = container('web-2', { id: 'cd'.repeat(32) });
    const r = decide(
      alert({ container: { id: 'ab'.repeat(6), name: 'web-2' } }),
      compiled(pause('p')),
      ctx([a, b]),
    );
    expect(r.decisions.map((d) => [d.verdict, d.container])).toEqual([['container-mismatch', null]]);
    expect(r.decisions[0]!.reason).toMatch(/web-1.*"web-2".*cdcdcdcdcdcd/);
  });

  it('an id with the name of the same container, or a name nobody has (renamed), acts on the id', () => {
    const a = container('web-1', { id: 'ab'.repeat(32) });
    for (const name of ['web-1', 'gone-name']) {
      const r = decide(alert({ container: { id: 'ab'.repeat(6), name } }), compiled(pause('p')), ctx([a]));
      expect(r.decisions.map((d) => [d.verdict, d.container?.name])).toEqual([['execute', 'web-1']]);
    }
  });

  it('an id field that is not an id, beside a name, is unknown-container with the reason', () => {
    const a = container('web-1', { id: 'ab'.repeat(32) });
    const r = decide(
      alert({ container: { id: 'not-an-id', name: 'web-1' } }),
      compiled(pause('p')),
      ctx([a]),
    );
    expect(r.decisions.map((d) => d.verdict)).toEqual(['unknown-container']);
    expect(r.decisions[0]!.reason).toMatch(/is not a container id/);
  });

  it('an alert naming a container only ever targets that container', () => {
    const set = compiled(pause('p', 'max_targets = 10'));
    const r = decide(alert({ container: { id: 'fedcba987654' } }), set, ctx(inv));
    expect(verdicts(r)).toEqual([['p', 'db', 'pause', 'execute']]);
  });
});

describe('host-level alerts', () => {
  it('target the running, non-stale matches sorted by name', () => {
    const inv = [
      container('web-3'),
      container('web-1'),
      container('web-2', { state: 'exited' }),
      container('web-4', { stale: true }),
      container('api-1'),
    ];
    const set = compiled(
      pause('p', 'max_targets = 5\n[policies.target_filter]\ncontainer_names = ["web-*"]'),
    );
    expect(verdicts(decide(alert(), set, ctx(inv)))).toEqual([
      ['p', 'web-1', 'pause', 'execute'],
      ['p', 'web-3', 'pause', 'execute'],
    ]);
  });

  it('more matches than max_targets is one blast-radius decision naming the count', () => {
    const inv = [container('a'), container('b'), container('c')];
    const r = decide(alert(), compiled(pause('p', 'max_targets = 2')), ctx(inv));
    expect(r.decisions).toHaveLength(1);
    expect(r.decisions[0]).toMatchObject({
      policy: 'p',
      container: null,
      verdict: 'blast-radius',
      action: { kind: 'pause' },
    });
    expect(r.decisions[0]!.reason).toContain('3 running containers match');
  });

  it('the first candidate that matches a running container decides', () => {
    const inv = [container('web-1')];
    const set = compiled(
      pause('none', 'priority = 1\n[policies.target_filter]\ncontainer_names = ["db-*"]') +
        pause('web', 'priority = 2'),
    );
    const r = decide(alert(), set, ctx(inv));
    expect(verdicts(r)).toEqual([['web', 'web-1', 'pause', 'execute']]);
    expect(r.trace[0]).toEqual({
      policy: 'none',
      outcome: 'skipped',
      reason: 'target filter: no running container matches',
    });
  });

  it('a candidate with no running match is no-target; no candidate at all is no-match', () => {
    const inv = [container('web-1', { state: 'paused' })];
    expect(decide(alert(), compiled(pause('p')), ctx(inv)).decisions[0]).toMatchObject({
      verdict: 'no-target',
      policy: null,
    });
    expect(
      decide(alert({ rule: 'x' }), compiled(pause('p', 'rules = ["y"]')), ctx(inv)).decisions[0],
    ).toMatchObject({
      verdict: 'no-match',
      container: null,
    });
  });
});

describe('guard rails, in DESIGN §5 order', () => {
  const decideWith = (
    extra: string,
    c: ReturnType<typeof container>,
    over: Parameters<typeof ctx>[1] = {},
    action = 'pause',
  ) =>
    decide(
      alert({ container: { id: c.id } }),
      compiled(`[[policies]]\nid = "p"\nname = "p"\naction = "${action}"\n${extra}\n`),
      ctx([c], over),
    ).decisions[0]!;

  it('protected: label brig.protect=true, guard.protect_names, Brig itself — before everything', () => {
    const labelled = container('db', { labels: { 'brig.protect': 'true' }, state: 'paused' });
    expect(decideWith('', labelled, { dryRun: true })).toMatchObject({ verdict: 'protected' });
    expect(decideWith('', container('traefik-1'), { protectNames: ['traefik-*'] }).verdict).toBe('protected');
    const self = container('brig');
    expect(decideWith('', self, { selfContainerId: self.id.slice(0, 12) }).verdict).toBe('protected');
    expect(decideWith('', container('x', { labels: { 'brig.protect': 'false' } })).verdict).toBe('execute');
  });

  it('already: the action is in effect given the container state', () => {
    expect(decideWith('', container('a', { state: 'paused' })).verdict).toBe('already');
    expect(decideWith('', container('a', { state: 'exited' }), {}, 'stop').verdict).toBe('already');
    expect(decideWith('', container('a', { state: 'created' }), {}, 'kill').verdict).toBe('already');
    expect(decideWith('', container('a', { state: 'paused' }), {}, 'kill').verdict).toBe('execute');
    expect(decideWith('', container('a', { networks: [] }), {}, 'network-disconnect').verdict).toBe(
      'already',
    );
    const bridgeOnly = container('a');
    expect(
      decide(
        alert({ container: { id: bridgeOnly.id } }),
        compiled(
          '[[policies]]\nid = "p"\nname = "p"\n[policies.action]\nNetworkDisconnect = { networks = ["backend"] }\n',
        ),
        ctx([bridgeOnly]),
      ).decisions[0]!.verdict,
    ).toBe('already');
    const quarantined = container('q', {
      networks: [
        {
          network: 'brig-quarantine',
          networkId: 'q',
          aliases: null,
          ipamConfig: null,
          links: null,
          driverOpts: null,
        },
      ],
    });
    expect(decideWith('', quarantined, {}, 'quarantine').verdict).toBe('already');
    expect(decideWith('', container('q2'), {}, 'quarantine').verdict).toBe('execute');
  });

  it('already: throttle when every limit is already at or below', () => {
    const limits = {
      nanoCpus: 50_000_000,
      cpuQuota: 0,
      cpuPeriod: 0,
      pidsLimit: 32,
      memory: 0,
      memorySwap: 0,
    };
    expect(decideWith('', container('t', { limits }), {}, 'throttle').verdict).toBe('already');
    expect(
      decideWith('', container('t', { limits: { ...limits, pidsLimit: 100 } }), {}, 'throttle').verdict,
    ).toBe('execute');
    const quota = { ...limits, nanoCpus: 0, cpuQuota: 10_000, cpuPeriod: 100_000 };
    expect(decideWith('', container('t', { limits: quota }), {}, 'throttle').verdict).toBe('already');
  });

  it('network_mode host or container:… cannot be disconnected: no-target with the reason', () => {
    const d = decideWith('', container('h', { networkMode: 'host', networks: [] }), {}, 'quarantine');
    expect(d).toMatchObject({ verdict: 'no-target', policy: 'p', container: { name: 'h' } });
    expect(d.reason).toBe('network_mode host: h cannot be disconnected');
    expect(
      decideWith('', container('s', { networkMode: `container:${hexId(5)}` }), {}, 'network-disconnect')
        .verdict,
    ).toBe('no-target');
    expect(decideWith('', container('h2', { networkMode: 'host' }), {}, 'pause').verdict).toBe('execute');
  });

  it('dry-run: global or per policy, before disarmed', () => {
    expect(decideWith('', container('a'), { dryRun: true, armed: false }).verdict).toBe('dry-run');
    expect(decideWith('mode = "dry-run"', container('a'), { armed: false }).verdict).toBe('dry-run');
    expect(decideWith('mode = "DRY-RUN"', container('a')).verdict).toBe('dry-run');
  });

  it('disarmed: the decision waits for the operator', () => {
    expect(decideWith('', container('a'), { armed: false }).verdict).toBe('disarmed');
  });

  it('cooldown per (policy, container), boundary included', () => {
    const now = 1_800_000_000_000;
    const at = (ago: number) => history({ lastActionAt: () => now - ago * 1000 });
    expect(decideWith('cooldown_secs = 60', container('a'), { now, history: at(59) }).verdict).toBe(
      'cooldown',
    );
    expect(decideWith('cooldown_secs = 60', container('a'), { now, history: at(60) }).verdict).toBe(
      'execute',
    );
    expect(decideWith('', container('a'), { now, history: at(1) }).verdict).toBe('execute');
  });

  it('rate limit per policy, counting the targets of this same alert', () => {
    expect(
      decideWith('max_actions_per_hour = 3', container('a'), {
        history: history({ actionsInLastHour: () => 3 }),
      }).verdict,
    ).toBe('rate-limited');
    expect(
      decideWith('max_actions_per_hour = 3', container('a'), {
        history: history({ actionsInLastHour: () => 2 }),
      }).verdict,
    ).toBe('execute');
    const inv = [container('a'), container('b'), container('c')];
    const set = compiled(pause('p', 'max_targets = 3\nmax_actions_per_hour = 2'));
    expect(
      decide(alert(), set, ctx(inv, { history: history({ actionsInLastHour: () => 1 }) })).decisions.map(
        (d) => d.verdict,
      ),
    ).toEqual(['execute', 'rate-limited', 'rate-limited']);
  });

  it('pending: a grace period sets the deadline', () => {
    const now = 1_800_000_000_000;
    expect(decideWith('grace_period_secs = 30', container('a'), { now })).toMatchObject({
      verdict: 'pending',
      deadline: now + 30_000,
    });
  });

  it('escalation: each new alert for a container takes the next step, then stays on the last', () => {
    const esc = 'escalation = ["Throttle", "Pause", "Kill"]';
    const at = (step: number) =>
      decideWith(esc, container('a'), { history: history({ escalationStep: () => step }) });
    expect([0, 1, 2, 3, 7].map((s) => [at(s).action?.kind, at(s).step])).toEqual([
      ['throttle', 0],
      ['pause', 1],
      ['kill', 2],
      ['kill', 2],
      ['kill', 2],
    ]);
  });

  it('every decision carries the alert id and a reason', () => {
    const a = alert({ container: { name: 'x' } });
    const c = container('x');
    const d = decide(a, compiled(pause('p')), ctx([c])).decisions[0]!;
    expect(d).toEqual({
      alert: a.id,
      policy: 'p',
      container: { id: c.id, name: 'x' },
      action: { kind: 'pause' },
      verdict: 'execute',
      reason: 'pause x now: armed, no guard rail applies',
    });
  });
});
