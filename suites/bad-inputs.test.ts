/**
 * The bad-input corpus (suites/bad-inputs/cases.yaml): every case is the valid compact Eyeriss of
 * `_base/` with one defect. Each must fail with a SparsegaugeError of the expected kind naming the
 * file, field and (where known) line, never with another exception; a few go through the CLI to
 * check the one-line `file:line:col: kind error in field: message` form and exit status 1.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { evaluate } from '../engine/index.ts';
import { loadSpecFiles } from '../engine/input/load.ts';
import { BASE_FILES, BASE, caseFiles, CORPUS, loadCorpus, mismatches, runCase, type CorpusCase } from './bad-input-corpus.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const cases = loadCorpus();
const byId = new Map(cases.map((c) => [c.id, c]));

const expected = (c: CorpusCase): string => {
  const x = c.expect;
  const where = `${x.file || '(run dir)'}${x.line ? `:${x.line}` : ''}`;
  return `${where} ${x.kind} error${x.field ? ` in …${x.field}…` : ''}${x.message ? `: …${x.message}…` : ''}`;
};

describe('the corpus itself', () => {
  test('the base spec is valid: it loads and evaluates', () => {
    const r = evaluate(loadSpecFiles(BASE_FILES.map((f) => join(BASE, f))));
    expect(r.arithmetic.stats.algorithmicComputes).toBeGreaterThan(0);
  });
  test('at least 50 cases, unique ids, every case dir listed and every listed file present', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    expect(byId.size).toBe(cases.length);
    const dirs = readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== '_base').map((d) => d.name);
    expect(dirs.filter((d) => !byId.has(d))).toEqual([]);
    const absent = cases.flatMap((c) => c.files.filter((f) => !existsSync(join(CORPUS, c.id, f))).map((f) => `${c.id}/${f}`));
    expect(absent).toEqual(['missing-file/does-not-exist.yaml']); // the one case about a missing file
  });
  test('the case runner is able to fail: the base spec reported as a case has no error', () => {
    const base: CorpusCase = { id: '_base', what: 'valid', files: [], expect: { kind: 'schema', file: 'arch.yaml', message: 'x' } };
    expect(caseFiles(base).every((f) => f.startsWith(BASE))).toBe(true);
    expect(mismatches(base, runCase(base))).toEqual([expect.stringContaining('no error')]);
  });
});

describe('each bad input gives its typed error', () => {
  test.each(cases.map((c) => [c.id, expected(c), c] as const))('%s → %s', (_id, _expected, c) => {
    expect(mismatches(c, runCase(c))).toEqual([]);
  });
});

describe.concurrent('command line: one line, exit status 1, no stack trace', () => {
  const run = promisify(execFile);
  const CLI_CASES = [
    'yaml-bad-indent',
    'type-string-for-size',
    'factors-not-multiplying',
    'bypass-everywhere',
    'template-undefined-variable',
    'capacity-mapping',
    'ert-negative-energy',
    'empty-file',
  ];
  test.each(CLI_CASES)('sparsegauge evaluate on %s', async (id) => {
    const c = byId.get(id)!;
    const args = ['bin/sparsegauge.js', 'evaluate', ...caseFiles(c), ...Object.entries(c.vars ?? {}).flatMap(([k, v]) => ['--var', `${k}=${v}`])];
    const r = await run('node', args, { cwd: REPO_ROOT, encoding: 'utf8' }).then(
      (ok) => ({ code: 0, stdout: ok.stdout, stderr: ok.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '' && !/ExperimentalWarning|--trace-warnings/.test(l));
    expect(lines).toHaveLength(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const x = c.expect;
    // `<file>[:line:col]: <kind> error[ in <field>]: <message>`, nothing before it
    const m = /^(.+?)(?::(\d+):(\d+))?: ([a-z-]+) error(?: in (\S+))?: (.+)$/.exec(lines[0]);
    expect(m, lines[0]).not.toBeNull();
    const [, file, line, , kind, field, message] = m!;
    expect(file.endsWith(`/${x.file}`)).toBe(true);
    expect(existsSync(file), `the line starts with the file name: ${lines[0]}`).toBe(true);
    if (x.line) expect(Number(line)).toBe(x.line);
    expect(kind).toBe(x.kind);
    if (x.field) expect(field).toContain(x.field);
    expect(message).toContain(x.message);
  });
});
