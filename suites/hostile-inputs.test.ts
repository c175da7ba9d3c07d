/**
 * Clear errors everywhere (issue 10, class 4): YAML anchors, aliases and merge keys read as
 * Timeloop (yaml-cpp) reads them, alias bombs and cycles refused; file encodings and sizes refused
 * before reading; parsing linear in the number of keys; `diff` refusing files that are not results
 * or hold nothing to compare; errors raised after loading naming a file; every error one line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isMap, isSeq, parse, stringify } from 'yaml';
import { describe, expect, test } from 'vitest';
import { evaluate } from '../engine/index.ts';
import { formatError, SparsegaugeError } from '../engine/errors.ts';
import { locateError } from '../engine/input/locate.ts';
import { loadSpecFiles } from '../engine/input/load.ts';
import { mapFields, rootField, seqFields, scalarValue } from '../engine/input/field.ts';
import { parseSource, readSource } from '../engine/input/source.ts';
import { MAX_SPEC_FILE_BYTES } from '../engine/input/read-file.ts';
import { renderTemplate } from '../engine/input/template-sandbox.ts';
import type { Result } from '../engine/result/schema.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SPEC = join(ROOT, 'golden/table7/spec');
const FILES = ['arch.yaml', 'components.yaml', 'problem.yaml', 'mapping.yaml', 'sparse.yaml', 'ERT.yaml', 'ART.yaml'];
const VARS = { layer: 'conv3', sparse_mode: 'sparse_iact' };
const rendered = FILES.map((f) => renderTemplate(f, readFileSync(join(SPEC, f), 'utf8'), VARS));
const work = () => mkdtempSync(join(tmpdir(), 'sg-inputs-'));

function writeSpec(texts: string[]): string[] {
  const dir = work();
  return FILES.map((f, i) => {
    writeFileSync(join(dir, f), texts[i]!);
    return join(dir, f);
  });
}

const withoutSources = (r: Result) => ({ ...r, meta: { ...r.meta, sources: undefined } });

function error(fn: () => unknown): SparsegaugeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SparsegaugeError) return e;
    throw e;
  }
  throw new Error('no error');
}

/** Equal subtrees made one shared object, so the YAML writer gives them anchors and aliases (as Python's dumper does). */
function shareDuplicates(value: unknown, seen = new Map<string, unknown>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const inner = Array.isArray(value) ? value.map((v) => shareDuplicates(v, seen)) : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shareDuplicates(v, seen)]));
  const key = JSON.stringify(inner);
  if (!seen.has(key)) seen.set(key, inner);
  return seen.get(key);
}

describe('anchors, aliases and merge keys', () => {
  const original = withoutSources(evaluate(loadSpecFiles(writeSpec(rendered))));

  test('a spec whose repeated lists and mappings are aliases evaluates exactly as the spec without them', () => {
    const aliased = rendered.map((t) => stringify(shareDuplicates(parse(t)), { aliasDuplicateObjects: true }));
    const all = aliased.join('\n');
    expect(all).toMatch(/flattened-rankIDs: \*a\d+/); // the form refused before
    expect((all.match(/\*a\d+/g) ?? []).length).toBeGreaterThan(20);
    expect(withoutSources(evaluate(loadSpecFiles(writeSpec(aliased))))).toEqual(original);
  });

  test('scalar aliases', () => {
    const texts = rendered.map((t, i) => (FILES[i] === 'problem.yaml' ? t.replace(/^(\s+)R: 3$/m, '$1R: &three 3').replace(/^(\s+)S: 3$/m, '$1S: *three') : t));
    expect(texts[2]).toMatch(/S: \*three/);
    expect(withoutSources(evaluate(loadSpecFiles(writeSpec(texts))))).toEqual(original);
  });

  test('merge keys: written keys win, earlier merged mappings over later ones, positions where written', () => {
    const s = parseSource('m.yaml', 'a: &a {x: 1, y: 2}\nb: &b {y: 20, z: 30}\nc:\n  <<: [*a, *b]\n  x: 100\n');
    const c = mapFields(mapFields(rootField(s)).get('c')!);
    expect(Object.fromEntries([...c].map(([k, f]) => [k, scalarValue(f)]))).toEqual({ x: 100, y: 2, z: 30 });
    const e = error(() => mapFields(mapFields(rootField(s)).get('c')!, ['x', 'y']));
    expect([e.kind, e.field, e.position?.line]).toEqual(['schema', 'c.z', 2]);
  });

  test('an aliased value of the wrong type is reported at the alias', () => {
    const s = parseSource('w.yaml', 'list: &l [1, 2]\nm:\n  k: *l\n');
    const k = mapFields(mapFields(rootField(s)).get('m')!).get('k')!;
    expect(isSeq(k.node)).toBe(true);
    const e = error(() => mapFields(k));
    expect([e.kind, e.field, e.position?.line, e.position?.column]).toEqual(['schema', 'm.k', 3, 6]);
    expect(seqFields(k).map(scalarValue)).toEqual([1, 2]);
  });

  test('an alias bomb is refused, quickly, as a yaml-syntax error', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) levels.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
    const e = error(() => parseSource('bomb.yaml', `${levels.join('\n')}\n`));
    expect([e.kind, e.file]).toEqual(['yaml-syntax', 'bomb.yaml']);
    expect(e.message).toMatch(/aliases expand the document by more than/);
  });

  test('an alias inside its own anchor is refused', () => {
    const e = error(() => parseSource('cycle.yaml', 'a: &x\n  - 1\n  - *x\n'));
    expect([e.kind, e.position?.line]).toEqual(['yaml-syntax', 3]);
    expect(e.message).toMatch(/cycle/);
  });

  test('an alias of no anchor is refused at the alias', () => {
    const e = error(() => parseSource('u.yaml', 'a: 1\nb: *nothing\n'));
    expect([e.kind, e.position?.line]).toEqual(['yaml-syntax', 2]);
  });

  test('a plain mapping is still a plain mapping (no merge without <<)', () => {
    expect(isMap(rootField(parseSource('p.yaml', 'a: {b: 1}\n')).node)).toBe(true);
  });
});

describe('files that are not spec text', () => {
  const dir = work();
  test.each([
    ['UTF-16 LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('problem: 1\n', 'utf16le')]), /file is UTF-16 \(little-endian byte order mark\); save it as UTF-8/],
    ['UTF-16 BE with BOM', Buffer.from([0xfe, 0xff, 0, 0x61, 0, 0x3a]), /UTF-16 \(big-endian/],
    ['UTF-16 without BOM', Buffer.from('problem: 1\n', 'utf16le'), /NUL bytes/],
    ['invalid UTF-8', Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x28, 0x0a]), /not valid UTF-8/],
  ])('%s: one short io error naming the encoding', (_name, bytes, message) => {
    const file = join(dir, `${_name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, bytes);
    const e = error(() => readSource(file));
    expect([e.kind, e.file]).toEqual(['io', file]);
    expect(e.message).toMatch(message);
    expect(formatError(e).length).toBeLessThan(file.length + 120);
  });

  test('a UTF-8 byte order mark is dropped, as yaml-cpp does', () => {
    const file = join(dir, 'bom.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a: 1\n')]));
    expect(readSource(file).doc.toJS()).toEqual({ a: 1 });
  });

  test.each([
    ['/dev/zero', /cannot read a device/],
    [tmpdir(), /cannot read a directory/],
  ])('%s is refused before it is read', (file, message) => {
    const e = error(() => readSource(file));
    expect([e.kind, e.file]).toEqual(['io', file]);
    expect(e.message).toMatch(message);
  });

  test('a fifo is refused without opening it (opening would block)', () => {
    const fifo = join(dir, 'fifo.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const e = error(() => readSource(fifo));
    expect([e.kind, e.message]).toEqual(['io', 'cannot read a fifo as a spec file']);
  });

  test(`a file over ${MAX_SPEC_FILE_BYTES} bytes is refused by its size`, () => {
    const file = join(dir, 'big.yaml');
    writeFileSync(file, Buffer.alloc(MAX_SPEC_FILE_BYTES + 1, 0x61));
    const e = error(() => readSource(file));
    expect(e.kind).toBe('io');
    expect(e.message).toMatch(/more than the 16777216 a spec file may have/);
  });
});

describe('parsing is linear in the number of keys', () => {
  const keys = (n: number, extra = '') => `mapper:\n${Array.from({ length: n }, (_, i) => `  k${i}: ${i}`).join('\n')}\n${extra}`;
  // the library's own duplicate-key check compares every pair: 60,000 keys took 40 s and more
  test('60,000 keys under an ignored key load (quadratic parsing times out here)', () => {
    expect(rootField(parseSource('keys.yaml', keys(60_000))).node).toBeTruthy();
  }, 30_000);

  test('a duplicate key among 60,000 is still found, at its line', () => {
    const e = error(() => parseSource('dup.yaml', keys(60_000, '  k17: again\n')));
    expect([e.kind, e.position?.line]).toEqual(['yaml-syntax', 60_002]);
    expect(e.message).toMatch(/unique/);
  }, 30_000);
});

describe('diff refuses what is not a comparison', () => {
  const dir = work();
  const result = join(ROOT, 'golden/oracle/z_conv3_dense_control.json');
  const diff = (expected: string) => spawnSync('node', ['bin/sparsegauge.js', 'diff', expected, result], { cwd: ROOT, encoding: 'utf8' });
  const write = (name: string, value: unknown) => {
    writeFileSync(join(dir, name), JSON.stringify(value));
    return join(dir, name);
  };

  test('the golden file against itself: fields compared, none outside', () => {
    const r = diff(result);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^[1-9]\d* fields compared, 0 outside tolerance$/m);
  });

  test.each([
    ['another schema', { schema: 'something-else', version: 1, arithmetic: {} }, /schema error in schema: not a sparsegauge result/],
    ['another version', { ...JSON.parse(readFileSync(result, 'utf8')), version: 2 }, /schema error in version: result schema version 2/],
    ['a JSON list', [1, 2], /not a sparsegauge result/],
    ['no fields to compare', { schema: 'sparsegauge-result', version: 1 }, /schema error: the expected result has no fields to compare/],
  ])('an expected file with %s is an error, not a pass', (name, value, message) => {
    const file = write(`${name.replace(/\W+/g, '-')}.json`, value);
    const r = diff(file);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(file);
    expect(r.stdout).not.toMatch(/0 fields compared/);
  });
});

describe('errors name a file and are one line', () => {
  test('an error raised after loading is given the file of the section its field names', () => {
    const spec = loadSpecFiles(writeSpec(rendered));
    const e = locateError(spec.origin, new SparsegaugeError('value', 'derived count out of range', { field: 'mapping[2].factors' })) as SparsegaugeError;
    expect(e.file).toBe(spec.origin.files.mapping);
    const p = locateError(spec.origin, new SparsegaugeError('value', 'x', { field: 'problem.instance.densities' })) as SparsegaugeError;
    expect(p.file).toBe(spec.origin.files.problem);
  });

  test('a message holding newlines or control characters prints as one line', () => {
    const e = new SparsegaugeError('value', 'first\nsecond\r\u001b[31mred', { file: 'a\nb.yaml', field: 'x\ny' });
    const line = formatError(e);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toBe('a\\nb.yaml: value error in x\\ny: first\\nsecond\\x0d\\x1b[31mred');
  });
});

describe('a run dir reads nothing outside itself', () => {
  test('a spec file linking outside the run dir is refused, not read (its content would be quoted in errors)', async () => {
    const { copyFileSync, mkdirSync, readdirSync, symlinkSync } = await import('node:fs');
    const { loadRunDir } = await import('../engine/input/load.ts');
    const base = resolve(import.meta.dirname, 'bad-inputs/_base');
    const dir = mkdtempSync(join(tmpdir(), 'sg-rundir-'));
    const run = join(dir, 'run');
    mkdirSync(run);
    for (const f of readdirSync(base)) copyFileSync(join(base, f), join(run, f));
    writeFileSync(join(dir, 'secret.yaml'), 'secret: do-not-read\n');
    symlinkSync(join(dir, 'secret.yaml'), join(run, 'zz.yaml'));
    try {
      loadRunDir(run);
      expect.unreachable();
    } catch (e) {
      const err = e as SparsegaugeError;
      expect([err.kind, err.file]).toEqual(['io', join(run, 'zz.yaml')]);
      expect(err.message).toMatch(/links outside its run dir/);
      expect(err.message).not.toMatch(/do-not-read/);
    }
  });
});
