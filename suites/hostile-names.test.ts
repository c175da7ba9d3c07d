/**
 * Names of JavaScript object machinery in a spec (issue 10, class 1): a level, data space,
 * coefficient, action or attribute named `constructor`, `__proto__`, `toString` or `hasOwnProperty`
 * is refused as a `value` error at the field that names it, never a crash or a silently wrong table.
 * Each case is the Table 7 conv3 spec, rendered, with one name replaced everywhere.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { evaluate } from '../engine/index.ts';
import { SparsegaugeError } from '../engine/errors.ts';
import { loadSpecFiles } from '../engine/input/load.ts';
import { renderTemplate } from '../engine/input/template-sandbox.ts';

const SPEC = resolve(import.meta.dirname, '../golden/table7/spec');
const FILES = ['arch.yaml', 'components.yaml', 'problem.yaml', 'mapping.yaml', 'sparse.yaml', 'ERT.yaml', 'ART.yaml'];
const rendered = FILES.map((f) => renderTemplate(f, readFileSync(join(SPEC, f), 'utf8'), { layer: 'conv3', sparse_mode: 'sparse_iact' }));

function specWith(original: string, name: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'sg-names-'));
  return FILES.map((f, i) => {
    const path = join(dir, f);
    writeFileSync(path, rendered[i]!.replace(new RegExp(`\\b${original}\\b`, 'g'), name));
    return path;
  });
}

const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
/** [what, name in the spec, file and field of its first use] */
const RENAMED: [string, string, string, RegExp][] = [
  ['a storage level', 'shared_glb', 'arch.yaml', /^architecture\..*name$/],
  ['a data space', 'Weights', 'problem.yaml', /^problem\.shape\.data-spaces\[0\]\.name$/],
  ['a coefficient', 'Wstride', 'problem.yaml', /^problem\.shape\.coefficients\[0\]\.name$/],
  ['an attribute', 'meshX', 'arch.yaml', /^architecture\..*attributes\.NAME$/],
  ['an ERT action', 'gated_read', 'ERT.yaml', /^ERT\.tables\[\d+\]\.actions\[\d+\]\.name$/],
];

describe.each(RENAMED)('%s named like object machinery is refused at its field', (_what, original, file, field) => {
  test('the unrenamed spec evaluates', () => {
    expect(evaluate(loadSpecFiles(specWith(original, original))).arithmetic.stats.algorithmicComputes).toBeGreaterThan(0);
  });
  test.each(NAMES)('%s', (name) => {
    const before = Object.getOwnPropertyNames(Object.prototype).length;
    try {
      evaluate(loadSpecFiles(specWith(original, name)));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SparsegaugeError);
      const err = e as SparsegaugeError;
      expect(err.kind).toBe('value');
      expect(err.file?.endsWith(file)).toBe(true);
      expect(err.field).toMatch(new RegExp(field.source.replace('NAME', name)));
      expect(err.message).toContain(`'${name}' cannot be used as a name`);
      expect(err.position?.line).toBeGreaterThan(0);
    }
    expect(Object.getOwnPropertyNames(Object.prototype).length).toBe(before);
  });
});
