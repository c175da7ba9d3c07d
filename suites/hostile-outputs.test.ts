/**
 * Nothing the user gave is overwritten, and golden imports are all or nothing (issue 10, class 3):
 * `--out` naming an input (directly or through a symlink) or empty is refused before any work; a
 * symlink at the output path is replaced, not followed; `import-golden` over several suites changes
 * nothing when a later suite fails; an interrupted import is completed or discarded by the next run;
 * case ids and suite names that would leave their folder are refused.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SparsegaugeError } from '../engine/errors.ts';
import { writeFileSafely, writeNewFile } from '../scripts/lib/safe-write.ts';
import { loadImportManifest } from '../scripts/lib/stats/golden-cases.ts';
import { recoverStaging, replaceGoldenFiles } from '../scripts/lib/stats/golden-switch.ts';

const ROOT = resolve(import.meta.dirname, '..');
const BASE = join(ROOT, 'suites/bad-inputs/_base');
const ORACLE_REFERENCE = join(ROOT, 'golden/oracle/reference');

const cli = (args: string[]) => spawnSync('node', ['bin/sparsegauge.js', ...args], { cwd: ROOT, encoding: 'utf8' });
const work = () => mkdtempSync(join(tmpdir(), 'sg-out-'));

function runDir(): string {
  const dir = join(work(), 'run');
  cpSync(BASE, dir, { recursive: true });
  return dir;
}

describe('--out never overwrites an input', () => {
  test('evaluate <run dir> --out <run dir>/ERT.yaml is refused and ERT.yaml is unchanged', () => {
    const dir = runDir();
    const before = readFileSync(join(dir, 'ERT.yaml'), 'utf8');
    const r = cli(['evaluate', dir, '--out', join(dir, 'ERT.yaml')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ERT\.yaml: io error in --out: the output path is an input of this run/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(join(dir, 'ERT.yaml'), 'utf8')).toBe(before);
  });

  test('an input reached through a symlinked folder is recognized by its real path', () => {
    const dir = runDir();
    const link = join(dir, '..', 'alias');
    symlinkSync(dir, link);
    const files = readdirSync(dir).map((f) => join(dir, f));
    const before = readFileSync(join(dir, 'problem.yaml'), 'utf8');
    const r = cli(['evaluate', ...files, '--out', join(link, 'problem.yaml')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/io error in --out: the output path is an input of this run/);
    expect(readFileSync(join(dir, 'problem.yaml'), 'utf8')).toBe(before);
  });

  test("--out '' is an error, not a silent write to stdout", () => {
    const r = cli(['evaluate', runDir(), '--out', '']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/io error in --out: the output path is empty/);
    expect(r.stdout).toBe('');
  });

  test('import --out <the stats file> is refused', () => {
    const stats = join(work(), 'timeloop-model.stats.txt');
    cpSync(join(ORACLE_REFERENCE, 'z_conv3_dense_control/output/timeloop-model.stats.txt'), stats);
    const before = readFileSync(stats, 'utf8');
    const r = cli(['import', stats, '--out', stats]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/io error in --out: the output path is an input of this run/);
    expect(readFileSync(stats, 'utf8')).toBe(before);
  });

  test("bench --out '' is refused before timing anything", () => {
    const r = cli(['bench', '--out', '']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/io error in --out: the output path is empty/);
  });

  test('evaluate --out to a new file writes it (the check is not a blanket refusal)', () => {
    const dir = runDir();
    const out = join(dir, '..', 'result.json');
    const r = cli(['evaluate', dir, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).schema).toBe('sparsegauge-result');
  });
});

describe('writing through temporary files', () => {
  test('a symlink at the output path is replaced, its target left alone', () => {
    const dir = work();
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'keep me');
    const out = join(dir, 'out.json');
    symlinkSync(victim, out);
    writeFileSafely(out, '{}\n');
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(lstatSync(out).isSymbolicLink()).toBe(false);
    expect(readFileSync(out, 'utf8')).toBe('{}\n');
    expect(readdirSync(dir).sort()).toEqual(['out.json', 'victim.txt']); // no temporary file left
  });

  test('a temporary file is created exclusively: a pre-placed symlink at its name is not followed', () => {
    const dir = work();
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'keep me');
    const tmp = join(dir, '.out.json.tmp');
    symlinkSync(victim, tmp);
    expect(() => writeNewFile(tmp, 'payload')).toThrow(/EEXIST/);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
  });
});

/** A suite folder holding oracle cases (their references are committed), with sentinel golden files. */
function suite(root: string, name: string, ids: string[], extra = ''): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const cases = ids.map((id) => `  - { id: ${id}, compat: public, reference: ${id} }`).join('\n');
  writeFileSync(join(dir, 'cases.yaml'), `suite: ${name}\nreference_root: ${ORACLE_REFERENCE}\nreference_inputs: false\ncases:\n${cases}\n${extra}`);
  for (const id of ids) writeFileSync(join(dir, `${id}.json`), `previous ${id}\n`);
  writeFileSync(join(dir, 'summary.csv'), 'previous summary\n');
  return join(dir, 'cases.yaml');
}

const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

describe('import-golden is all or nothing', () => {
  test('a failing second suite leaves the first suite unchanged', () => {
    const root = join(work(), 'golden');
    const first = suite(root, 'first', ['z_conv3_dense_control', 'z_conv3_sparse_control']);
    const second = suite(root, 'second', ['z_conv3_dense_control', 'no_such_reference']);
    const before = snapshot(join(root, 'first'));
    const r = cli(['import-golden', '--manifest', first, '--manifest', second]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no_such_reference/);
    expect(snapshot(join(root, 'first'))).toEqual(before);
    expect(readdirSync(root).sort()).toEqual(['first', 'second']); // no staging folder left
  });

  test('both suites succeeding replace both, and a rerun gives the same files', () => {
    const root = join(work(), 'golden');
    const first = suite(root, 'first', ['z_conv3_dense_control']);
    const second = suite(root, 'second', ['z_conv3_sparse_control']);
    expect(cli(['import-golden', '--manifest', first, '--manifest', second]).status).toBe(0);
    const once = [snapshot(join(root, 'first')), snapshot(join(root, 'second'))];
    expect(once[0]!['z_conv3_dense_control.json']).toMatch(/"schema": "sparsegauge-result"/);
    expect(cli(['import-golden', '--manifest', first, '--manifest', second]).status).toBe(0);
    expect([snapshot(join(root, 'first')), snapshot(join(root, 'second'))]).toEqual(once);
  });

  test('a run killed before its commit point is discarded by the next run; golden files unchanged', () => {
    const root = join(work(), 'golden');
    suite(root, 'first', ['z_conv3_dense_control']);
    const before = snapshot(join(root, 'first'));
    const stage = join(root, '.import-staging-0123456789abcdef');
    mkdirSync(stage);
    writeFileSync(join(stage, '0'), 'half-written');
    expect(recoverStaging(root)).toEqual([expect.stringMatching(/removed an incomplete staged import/)]);
    expect(existsSync(stage)).toBe(false);
    expect(snapshot(join(root, 'first'))).toEqual(before);
  });

  test('a run killed after its commit point is completed by the next run', () => {
    const root = join(work(), 'golden');
    suite(root, 'first', ['a', 'b']);
    const stage = join(root, '.import-staging-fedcba9876543210');
    mkdirSync(stage);
    writeFileSync(join(stage, '1'), 'new b\n'); // '0' was already renamed into place before the kill
    writeFileSync(join(root, 'first', 'a.json'), 'new a\n');
    writeFileSync(join(stage, 'journal.json'), JSON.stringify([{ staged: '0', target: 'first/a.json' }, { staged: '1', target: 'first/b.json' }]));
    expect(recoverStaging(root)).toEqual([expect.stringMatching(/completed an interrupted import/)]);
    expect(readFileSync(join(root, 'first', 'b.json'), 'utf8')).toBe('new b\n');
    expect(readFileSync(join(root, 'first', 'a.json'), 'utf8')).toBe('new a\n');
    expect(existsSync(stage)).toBe(false);
  });

  test('a journal naming a path outside the golden folder is not followed', () => {
    const root = join(work(), 'golden');
    mkdirSync(root);
    const stage = join(root, '.import-staging-aaaaaaaaaaaaaaaa');
    mkdirSync(stage);
    writeFileSync(join(stage, '0'), 'x');
    writeFileSync(join(stage, 'journal.json'), JSON.stringify([{ staged: '0', target: '../escaped.txt' }]));
    expect(() => recoverStaging(root)).toThrow(SparsegaugeError);
    expect(existsSync(join(root, '..', 'escaped.txt'))).toBe(false);
  });

  test('a golden file name leaving its suite folder is refused before anything is staged', () => {
    const root = join(work(), 'golden');
    mkdirSync(join(root, 's'), { recursive: true });
    expect(() => replaceGoldenFiles(root, [{ suite: 's', dir: join(root, 's'), files: new Map([['../../escaped.json', '{}']]) }])).toThrow(/outside its suite folder/);
    expect(readdirSync(root)).toEqual(['s']);
  });
});

describe('case ids and suite names are file names', () => {
  test.each([
    ['../../escape', "contains '..'"],
    ['a/b', 'path separator'],
    ['a\\\\b', 'path separator'],
    ['/tmp/x', 'path separator'],
    ['"nul\\0x"', 'control character'],
    ["''", 'non-empty string'],
  ])('case id %s is refused', (id, why) => {
    const root = join(work(), 'golden');
    const file = suite(root, 's', []).replace(/$/, '');
    writeFileSync(file, `suite: s\nreference_root: ${ORACLE_REFERENCE}\nreference_inputs: false\ncases:\n  - { id: ${id}, compat: public, reference: z_conv3_dense_control }\n`);
    try {
      loadImportManifest(file);
      expect.unreachable();
    } catch (e) {
      const err = e as SparsegaugeError;
      expect([err.kind, err.field, err.file]).toEqual(['schema', 'cases[0].id', file]);
      expect(err.message).toContain(why);
    }
  });

  test('a suite name with a separator is refused', () => {
    const root = join(work(), 'golden');
    const file = suite(root, 's', []);
    writeFileSync(file, `suite: ../reports\nreference_root: ${ORACLE_REFERENCE}\nreference_inputs: false\ncases: []\n`);
    expect(() => loadImportManifest(file)).toThrow(/suite name '..\/reports' cannot name a file/);
  });
});
