/**
 * diff and tolerances: a result against itself has nothing outside tolerance; a perturbed copy
 * reports exactly the perturbed fields; each tolerance kind and the first-match rule behave as
 * documented in golden/tolerances.yaml; a bad tolerances file is a located error.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { SparsegaugeError } from '../engine/errors.ts';
import {
  compareResults,
  flatten,
  loadTolerances,
  parseTolerances,
  ruleFor,
  withinTolerance,
} from '../scripts/lib/compare/index.ts';
import { REPO_ROOT } from '../scripts/lib/stats/golden-cases.ts';

const tolerancesFile = join(REPO_ROOT, 'golden', 'tolerances.yaml');
const tolerances = loadTolerances(tolerancesFile);
const goldenFile = (id: string) => join(REPO_ROOT, 'golden', 'table7', `${id}.json`);
const load = (id: string) => JSON.parse(readFileSync(goldenFile(id), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'sparsegauge-diff-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function set(obj: any, path: string, value: unknown): void {
  const keys = path.split('.');
  let cur = obj;
  for (const k of keys.slice(0, -1)) cur = cur[k];
  cur[keys[keys.length - 1]] = value;
}

function cli(args: string[]) {
  return spawnSync('node', ['bin/sparsegauge.js', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

const PERTURBED = [
  ['storage.DRAM.tensors.Outputs.updates.actual', 455198],
  ['storage.weights_spad.tensors.Weights.energyTotal', 319238379.69408 * (1 + 1e-5)],
  ['summary.energy', 2059.87],
  ['networks.psum_spad <==> MACs.tensors.Inputs.ingressHistogram.0.multicast', 2],
  ['storage.DRAM.specs.technology', 'SRAM'],
] as const;

describe.each(['conv1-sparse', 'conv1-dense', 'conv3-sparse'])('%s', (id) => {
  test('compared with itself: every non-meta field compared, none outside', () => {
    const g = load(id);
    const r = compareResults(g, structuredClone(g), tolerances);
    expect(r.outside).toEqual([]);
    expect(r.compared).toBe(flatten(g).filter(([p]) => !p.startsWith('meta.')).length);
    expect(r.compared).toBeGreaterThan(700);
  });
});

describe('perturbations', () => {
  test('a perturbed copy reports exactly the perturbed fields', () => {
    const g = load('conv1-sparse');
    const p = structuredClone(g);
    for (const [path, v] of PERTURBED) set(p, path, v);
    const r = compareResults(g, p, tolerances);
    expect(r.outside.map((d) => d.path).sort()).toEqual(PERTURBED.map(([path]) => path).sort());
    const dram = r.outside.find((d) => d.path === 'storage.DRAM.tensors.Outputs.updates.actual')!;
    expect(dram).toMatchObject({ expected: 455197, actual: 455198, ratio: 455198 / 455197 });
  });

  test('changes inside tolerance are not reported', () => {
    const g = load('conv1-sparse');
    const p = structuredClone(g);
    set(p, 'storage.weights_spad.tensors.Weights.energyTotal', 319238379.69408 * (1 + 5e-7));
    set(p, 'summary.energy', 2059.864);
    set(p, 'summary.edp', 5849.9);
    expect(compareResults(g, p, tolerances).outside).toEqual([]);
  });

  test('a field missing in actual is a discrepancy; extra fields in actual are ignored', () => {
    const g = load('conv1-dense');
    const p = structuredClone(g);
    delete p.storage.DRAM.tensors.Inputs.reads.actual;
    p.storage.DRAM.tensors.Inputs.reads.algorithmic = 1;
    p.meta.producer = 'sparsegauge';
    const r = compareResults(g, p, tolerances);
    expect(r.outside).toHaveLength(1);
    expect(r.outside[0]).toMatchObject({ path: 'storage.DRAM.tensors.Inputs.reads.actual', expected: 776160, actual: undefined });
  });

  test('an empty expected list against a non-empty one is a discrepancy', () => {
    const g = load('conv3-sparse');
    const p = structuredClone(g);
    p.storage.DRAM.tensors.Inputs.formatReads.gated = [{ rank: 0, metadata: 1, payload: 0 }];
    expect(compareResults(g, p, tolerances).outside.map((d) => d.path)).toEqual(['storage.DRAM.tensors.Inputs.formatReads.gated']);
  });
});

describe('sparsegauge diff (CLI)', () => {
  test('identical files: last line is the count, exit 0', () => {
    const r = cli(['diff', goldenFile('conv3-sparse'), goldenFile('conv3-sparse')]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d+ fields compared, 0 outside tolerance$/);
  });

  test('perturbed file: one line per perturbed field (path expected actual ratio), exit 1', () => {
    const p = load('conv1-sparse');
    for (const [path, v] of PERTURBED) set(p, path, v);
    const file = join(work, 'perturbed.json');
    writeFileSync(file, JSON.stringify(p));
    const r = cli(['diff', goldenFile('conv1-sparse'), file]);
    expect(r.status).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^\d+ fields compared, 5 outside tolerance$/);
    expect(lines.slice(0, -1).map((l) => l.split('  ')[0]).sort()).toEqual(PERTURBED.map(([path]) => path).sort());
    expect(lines).toContain('storage.DRAM.tensors.Outputs.updates.actual  455197  455198  1.00000220');
  });

  test('--tolerances selects another rules file', () => {
    const loose = join(work, 'loose.yaml');
    writeFileSync(loose, "rules:\n  - pattern: '**'\n    kind: relative\n    value: 0.01\n    reason: test only\n");
    const p = load('conv1-sparse');
    set(p, 'storage.DRAM.tensors.Outputs.updates.actual', 455198);
    const file = join(work, 'one-off.json');
    writeFileSync(file, JSON.stringify(p));
    expect(cli(['diff', goldenFile('conv1-sparse'), file]).status).toBe(1);
    expect(cli(['diff', goldenFile('conv1-sparse'), file, '--tolerances', loose]).status).toBe(0);
  });
});

describe('tolerance rules', () => {
  const rules = (body: string) => parseTolerances(`rules:\n${body}  - pattern: '**'\n    kind: exact\n    reason: default\n`, 't.yaml');

  test('first matching rule wins', () => {
    const t = rules("  - pattern: a.b\n    kind: absolute\n    value: 1\n    reason: r1\n  - pattern: a.*\n    kind: relative\n    value: 0.5\n    reason: r2\n");
    expect(ruleFor('a.b', t).reason).toBe('r1');
    expect(ruleFor('a.c', t).reason).toBe('r2');
    expect(ruleFor('a.c.d', t).reason).toBe('default');
    expect(withinTolerance(10, 10.9, 'a.b', t)).toBe(true);
    expect(withinTolerance(10, 11.1, 'a.b', t)).toBe(false);
    expect(withinTolerance(10, 14.9, 'a.c', t)).toBe(true);
    expect(withinTolerance(10, 10.0000001, 'x', t)).toBe(false);
  });

  test('** spans segments, * stays within one', () => {
    const t = rules("  - pattern: storage.**.energy*\n    kind: relative\n    value: 1.0e-6\n    reason: e\n");
    expect(ruleFor('storage.DRAM.tensors.Inputs.energyTotal', t).reason).toBe('e');
    expect(ruleFor('storage.energyX', t).reason).toBe('e');
    expect(ruleFor('summary.energy', t).reason).toBe('default');
  });

  test('significant digits: half a unit of the last printed digit', () => {
    const t = rules("  - pattern: edp\n    kind: significant\n    value: 3\n    reason: '%.2e'\n");
    expect(withinTolerance(2940, 2944.9, 'edp', t)).toBe(true);
    expect(withinTolerance(2940, 2945.1, 'edp', t)).toBe(false);
    expect(withinTolerance(6.07e3, 6.065e3, 'edp', t)).toBe(true);
  });

  test('relative rule with expected 0 requires exactly 0', () => {
    const t = rules("  - pattern: e\n    kind: relative\n    value: 1.0e-6\n    reason: r\n");
    expect(withinTolerance(0, 0, 'e', t)).toBe(true);
    expect(withinTolerance(0, 1e-30, 'e', t)).toBe(false);
  });

  test('the project file: counts and cycles exact, energies 1e-6 relative, printed-only fields half a unit', () => {
    expect(ruleFor('storage.DRAM.tensors.Inputs.reads.actual', tolerances).kind).toBe('exact');
    expect(ruleFor('summary.cycles', tolerances).kind).toBe('exact');
    expect(ruleFor('storage.weights_spad.stats.cycles', tolerances).kind).toBe('exact');
    expect(ruleFor('storage.DRAM.tensors.Inputs.energyTotal', tolerances)).toMatchObject({ kind: 'relative', value: 1e-6 });
    expect(ruleFor('arithmetic.stats.energy', tolerances)).toMatchObject({ kind: 'relative', value: 1e-6 });
    expect(ruleFor('summary.energy', tolerances)).toMatchObject({ kind: 'absolute', value: 0.005 });
    for (const r of tolerances.rules) expect(r.reason.length).toBeGreaterThan(10);
  });

  test.each([
    ['no catch-all', "rules:\n  - pattern: a\n    kind: exact\n    reason: r\n", /last rule must be the catch-all/, 'rules[0].pattern'],
    ['missing reason', "rules:\n  - pattern: '**'\n    kind: exact\n", /reason/, 'rules[0].reason'],
    ['unknown kind', "rules:\n  - pattern: '**'\n    kind: fuzzy\n    reason: r\n", /expected one of/, 'rules[0].kind'],
    ['relative without value', "rules:\n  - pattern: '**'\n    kind: relative\n    reason: r\n", /positive number/, 'rules[0].value'],
    ['unknown key', "rules:\n  - pattern: '**'\n    kind: exact\n    reason: r\n    wide: true\n", /unknown key/, 'rules[0].wide'],
    ['bad YAML', 'rules: [\n', /./, undefined],
  ])('a tolerances file with %s is a located error', (_l, text, message, field) => {
    let err: unknown;
    try {
      parseTolerances(text, 'bad.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SparsegaugeError);
    const e = err as SparsegaugeError;
    expect(e.file).toBe('bad.yaml');
    expect(e.message).toMatch(message);
    if (field) expect(e.field).toBe(field);
    expect(e.position?.line).toBeGreaterThan(0);
  });
});
