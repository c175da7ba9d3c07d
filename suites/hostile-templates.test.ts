/**
 * Hostile spec templates (issue 10, class 1): a template may not run code, read files, or cost
 * without bound. Each payload is first shown to be live (plain nunjucks runs it and sets a marker),
 * then the loader must refuse it as a `template` error with the field and line, and the marker must
 * stay unset. Payloads inside a branch that never runs must be refused too: only the check of the
 * whole syntax tree before rendering sees them.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import nunjucks from 'nunjucks';
import { parse } from 'yaml';
import { afterEach, describe, expect, test } from 'vitest';
import { SparsegaugeError } from '../engine/errors.ts';
import { loadSpecFiles } from '../engine/input/load.ts';
import { parseSource } from '../engine/input/source.ts';
import { MAX_TEMPLATE_OUTPUT, MAX_TEMPLATE_STEPS, MAX_TEMPLATE_WORK, renderTemplate } from '../engine/input/template-sandbox.ts';

const ROOT = resolve(import.meta.dirname, '..');
const g = globalThis as { __sgMarker?: unknown };
afterEach(() => {
  delete g.__sgMarker;
  delete (Object.prototype as Record<string, unknown>).sgPolluted;
});

function refusal(text: string, vars: Record<string, string> = {}): SparsegaugeError {
  try {
    renderTemplate('hostile.yaml', text, vars);
  } catch (e) {
    if (e instanceof SparsegaugeError) return e;
    throw e;
  }
  throw new Error('rendered without error');
}

const plain = (text: string, vars: Record<string, string> = {}): string => new nunjucks.Environment(null, { autoescape: false }).renderString(text, vars);

const SET_MARKER = `globalThis.__sgMarker = 'ran'`;

/** [name, template, field, line] — each runs code under plain nunjucks. */
const CODE_PAYLOADS: [string, string, string, number][] = [
  ['constructor chain of a string', `a: 1\nb: {{ "".constructor.constructor("${SET_MARKER}")() }}\n`, 'constructor', 2],
  ['constructor chain of range', `b: {{ range.constructor("${SET_MARKER}")() }}`, 'constructor', 1],
  ['subscript constructor', `\n\nb: {{ ""["constructor"]["constructor"]("${SET_MARKER}")() }}`, 'constructor', 3],
  ['__proto__ lookup', `b: {{ ""["__proto__"]["constructor"]["constructor"]("${SET_MARKER}")() }}`, '__proto__', 1],
  ['prototype lookup', `b: {{ range["prototype"]["constructor"]["constructor"]("${SET_MARKER}")() }}`, 'prototype', 1],
  ['method call on a value', `x: 1\ny: 2\nb: {{ "x".concat("") }}{{ range.call.constructor("${SET_MARKER}")() }}`, 'concat', 3],
  ['filter reaching a function', `b: {{ [range] | join(",", "constructor") }}{{ range.bind.constructor("${SET_MARKER}")() }}`, 'join', 1],
];

describe('payloads that run code under plain nunjucks are refused', () => {
  test.each(CODE_PAYLOADS)('%s', (_name, text, field, line) => {
    plain(text);
    expect(g.__sgMarker, 'the payload is live under plain nunjucks').toBe('ran');
    delete g.__sgMarker;

    const e = refusal(text);
    expect(e.kind).toBe('template');
    expect(e.field).toBe(field);
    expect(e.position?.line).toBe(line);
    expect(g.__sgMarker).toBeUndefined();
  });

  test.each(CODE_PAYLOADS)('%s, in a branch that never runs', (_name, text, field, line) => {
    const dead = `{% if false %}${text}{% endif %}`;
    const e = refusal(dead);
    expect([e.kind, e.field, e.position?.line]).toEqual(['template', field, line]);
  });
});

describe('keys computed at render time are guarded as they are looked up', () => {
  test('a computed "constructor" key cannot reach Function', () => {
    const text = `{% set k = "constr" ~ "uctor" %}{% set f = range[k][k] %}{% macro g() %}{% endmacro %}\nb: {{ g() }}{{ f }}`;
    const e = refusal(text);
    expect([e.kind, e.field, e.position?.line]).toEqual(['template', 'constructor', 1]);
    expect(e.message).toMatch(/looking up 'constructor' is not allowed/);
  });

  test('a computed "__proto__" key of a dict is refused', () => {
    const e = refusal(`{% set d = {"a": 1} %}{% set k = "__pro" ~ "to__" %}\n\nb: {{ d[k] }}`);
    expect([e.kind, e.field, e.position?.line]).toEqual(['template', '__proto__', 3]);
  });

  test('a variable given on the command line cannot name machinery either', () => {
    const e = refusal(`{% set d = {"a": 1} %}b: {{ d[k] }}`, { k: "constructor" });
    expect([e.kind, e.field]).toEqual(['template', 'constructor']);
  });

  test('dict keys inherited from Object.prototype are not visible', () => {
    (Object.prototype as Record<string, unknown>).sgPolluted = 'inherited';
    expect(renderTemplate('t.yaml', `{% set d = {"a": 1} %}b: {{ d.sgPolluted | default("absent") }}`, {})).toBe('b: absent');
  });

  test('lookups on strings and numbers are refused, not read', () => {
    const e = refusal(`a: {{ s.length }}`, { s: 'abc' });
    expect([e.kind, e.field, e.position?.line]).toEqual(['template', 'length', 1]);
  });

  test('functions cannot be output', () => {
    expect(refusal(`b: {{ range }}`).field).toBe('output');
  });
});

describe('nothing reads a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-hostile-'));
  mkdirSync(join(dir, 'spec'));
  mkdirSync(join(dir, 'spec-evil'));
  writeFileSync(join(dir, 'spec-evil', 'secret.yaml'), 'secret: 42\n');
  writeFileSync(join(dir, 'spec', 'inner.yaml'), 'inner: 1\n');
  const cases: [string, string, string][] = [
    ['include of /etc/passwd by a relative path', `a: 1\n{% include "../../../../../../etc/passwd" %}`, 'include'],
    ['include of a sibling folder sharing the prefix', `a: 1\n{% include "../spec-evil/secret.yaml" %}`, 'include'],
    ['include of a file in the same folder', `a: 1\n{% include "inner.yaml" %}`, 'include'],
    ['import', `a: 1\n{% import "inner.yaml" as x %}`, 'import'],
    ['from import', `a: 1\n{% from "inner.yaml" import y %}`, 'from … import'],
    ['extends', `a: 1\n{% extends "../spec-evil/secret.yaml" %}`, 'extends'],
  ];
  test.each(cases)('%s', (_name, text, field) => {
    const file = join(dir, 'spec', 'x.yaml');
    writeFileSync(file, text);
    try {
      loadSpecFiles([file]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SparsegaugeError);
      const err = e as SparsegaugeError;
      expect([err.kind, err.file, err.field, err.position?.line]).toEqual(['template', file, field, 2]);
      expect(err.message).toMatch(/may not read other files/);
    }
  });
});

describe('cost is bounded', () => {
  test(`a huge range is refused before its list is built (budget ${MAX_TEMPLATE_STEPS})`, () => {
    const e = refusal(`a: 1\n{% for i in range(1000000000) %}x{% endfor %}`);
    expect([e.kind, e.field, e.position?.line]).toEqual(['template', 'range', 2]);
    expect(e.message).toMatch(/more than 1000000 loop iterations/);
  });

  test('nested loops over a small list are counted as a whole', () => {
    const e = refusal(`{% set r = range(1001) %}\n{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}`);
    expect([e.kind, e.field, e.position?.line]).toEqual(['template', 'for', 2]);
  });

  test('a loop within the budget runs', () => {
    expect(renderTemplate('t.yaml', `{% for i in range(3) %}{% for j in range(2) %}{{ i }}{{ j }} {% endfor %}{% endfor %}`, {})).toBe('00 01 10 11 20 21 ');
  });

  test('exponential macro recursion is refused', () => {
    const e = refusal(`{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}\nb: {{ f(60) }}`);
    expect([e.kind, e.field]).toEqual(['template', 'f']);
    expect(e.message).toMatch(/loop iterations and macro calls/);
  });

  test(`a string doubled past ${MAX_TEMPLATE_OUTPUT} characters is refused`, () => {
    const doubling = Array.from({ length: 40 }, () => '{% set s = s ~ s %}').join('\n');
    const e = refusal(`{% set s = "0123456789abcdef" %}\n${doubling}\nb: {{ s }}`);
    expect([e.kind, e.field, e.position?.line]).toEqual(['template', 'string', 22]); // 16·2^21 > 16 Mi
  });

  // each loop step is cheap to count but may scan a 16 Mi string: the steps bound alone let these run for minutes
  const big = `{% set s = "x" %}{% for i in range(24) %}{% set s = s ~ s %}{% endfor %}{% set u = s ~ "" %}\n`;
  const scans: [string, string, string][] = [
    ['`in` over a long string', `{% for i in range(999000) %}{% if "y" in s %}{% endif %}{% endfor %}`, 'in'],
    ['a filter on a long string', `{% for i in range(999000) %}{% set t = s | upper %}{% endfor %}`, 'upper'],
    ['comparing long strings', `{% for i in range(999000) %}{% if s == u %}{% endif %}{% endfor %}`, 'operator'],
    ['arithmetic on a long string', `{% for i in range(999000) %}{% set t = s * 1 %}{% endfor %}`, 'operator'],
    ['a long key looked up', `{% set d = {"a": 1} %}{% for i in range(999000) %}{% set t = d[s] %}{% endfor %}`, 'key'],
    ['joining a list in a loop', `{% set l = range(1000) %}{% for i in range(999000) %}{% set t = l | join(",") %}{% endfor %}`, 'join'],
  ];
  test.each(scans)(`%s is refused past ${MAX_TEMPLATE_WORK} characters read`, (_name, loop, field) => {
    const started = Date.now();
    const e = refusal(`${big}${loop}`);
    expect([e.kind, e.field, e.position?.line]).toEqual(['template', field, 2]);
    expect(e.message).toMatch(/reads more than \d+ characters and list elements/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('output that grows past the cap in a loop is refused', () => {
    const e = refusal(`{% for i in range(900000) %}${'y'.repeat(40)}\n{% endfor %}`);
    expect([e.kind, e.field]).toEqual(['template', 'output']);
  });
});

describe('every template error names its line and column', () => {
  const cases: [string, string, string | undefined, number, number][] = [
    // a filter given a value it cannot take failed inside nunjucks, at line 0, column 0
    ['a filter given a value it cannot take', `a: 1\nb: {{ x | join }}`, 'join', 2, 11],
    ['`in` with a number on its right', `a: 1\n\nb: {{ "x" in 3 }}`, 'in', 3, 7],
    // nunjucks gives no position when the text ends inside a tag or comment
    ['a comment never closed', `a: 1\n{# note\nb: 2`, undefined, 3, 5],
    ['a loop never closed', `a: 1\n{% for i in [1] %}\nb: 2\n`, undefined, 4, 1],
    // nunjucks' `case` nodes have no position (NaN:NaN before)
    ['a tag whose node has no position', `a: 1\nb: {% switch 1 %}{% case 1 %}x{% endswitch %}`, 'Case', 2, 7],
  ];
  test.each(cases)('%s', (_name, text, field, line, column) => {
    const e = refusal(text, { x: '1' });
    expect([e.kind, e.field, e.position]).toEqual(['template', field, { line, column }]);
    expect(e.message).not.toMatch(/is not a function|unexpected types/);
  });
});

describe('comments', () => {
  test('a payload in a template comment is not run and the file loads', () => {
    const text = `{# {{ "".constructor.constructor("${SET_MARKER}")() }} #}\na: 1\n`;
    expect(parseSource('c.yaml', text).doc.toJS()).toEqual({ a: 1 });
    expect(g.__sgMarker).toBeUndefined();
  });

  test('a payload in a YAML comment of an ERT file is rendered, so it is refused with its line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-ert-'));
    const spec = join(ROOT, 'golden/table7/spec');
    for (const f of readdirSync(spec)) copyFileSync(join(spec, f), join(dir, f));
    const ert = join(dir, 'ERT.yaml');
    const lines = readFileSync(ert, 'utf8').split('\n');
    lines.splice(3, 0, `# harmless-looking note {{ "".constructor.constructor("${SET_MARKER}")() }}`);
    writeFileSync(ert, lines.join('\n'));
    const files = ['arch.yaml', 'components.yaml', 'problem.yaml', 'mapping.yaml', 'sparse.yaml', 'ERT.yaml', 'ART.yaml'].map((f) => join(dir, f));
    try {
      loadSpecFiles(files, { vars: { layer: 'conv3', sparse_mode: 'sparse_iact' } });
      expect.unreachable();
    } catch (e) {
      const err = e as SparsegaugeError;
      expect([err.kind, err.file, err.field, err.position?.line]).toEqual(['template', ert, 'constructor', 4]);
    }
    expect(g.__sgMarker).toBeUndefined();
  });
});

describe('names of JavaScript machinery', () => {
  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('a template variable named %s is refused by name', (name) => {
    const e = refusal(`a: {{ ${name} }}`, { [name]: 'x' });
    expect([e.kind, e.field, e.position?.line]).toEqual(['template', name, 1]);
  });
});

describe('legitimate templates render exactly as nunjucks renders them', () => {
  const manifests = ['table7', 'oracle'].map((suite) => ({ suite, m: parse(readFileSync(join(ROOT, 'golden', suite, 'cases.yaml'), 'utf8')) }));
  const renders: [string, string, Record<string, string>][] = [];
  for (const { suite, m } of manifests) {
    for (const c of m.cases as { id: string; vars?: Record<string, string>; spec?: string[] }[]) {
      const vars = Object.fromEntries(Object.entries(c.vars ?? {}).map(([k, v]) => [k, String(v)]));
      for (const f of [...(m.spec ?? []), ...(c.spec ?? [])]) renders.push([`${suite}/${c.id}: ${f}`, join(ROOT, 'golden', suite, f), vars]);
    }
  }
  test('there are templated spec files to compare', () => {
    expect(renders.filter(([, f]) => /\{\{|\{%/.test(readFileSync(f, 'utf8'))).length).toBeGreaterThan(50);
  });
  test.each(renders)('%s', (_name, file, vars) => {
    const text = readFileSync(file, 'utf8');
    const expected = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true }).renderString(text, { ...vars });
    expect(renderTemplate(file, text, vars)).toBe(expected);
  });
  test('loops over dicts, loop variables, filters and tests', () => {
    const text = `{% set d = {"a": 1.26, "b": 2} %}{% for k, v in d %}{{ loop.index }}{{ k }}={{ v | round(1) }}{{ "," if not loop.last }}{% endfor %} {{ "7" | int + 1 }} {{ 3 is odd }} {{ [1, 2] | join("-") }} {{ 2 ** 3 }} {{ 7 // 2 }} {{ "a" ~ 1 }}`;
    expect(renderTemplate('t.yaml', text, {})).toBe(plain(text));
    expect(renderTemplate('t.yaml', text, {})).toBe('1a=1.3,2b=2 8 true 1-2 8 3 a1');
  });
});
