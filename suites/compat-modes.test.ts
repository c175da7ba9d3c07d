/**
 * Compat modes are data (engine/compat-modes.ts): the engine switches on named behaviours, never on
 * mode names, and the two 2022 modes keep exactly the behaviours they had before the table.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { COMPAT_MODE_NAMES, COMPAT_MODES, compatBehaviours, DEFAULT_COMPAT_MODE } from '../engine/compat-modes.ts';
import { REPO_ROOT } from '../scripts/lib/report/manifest.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

describe('compat modes', () => {
  test('public is the default and switches nothing on', () => {
    expect(DEFAULT_COMPAT_MODE).toBe('public');
    expect(Object.values(compatBehaviours()).every((on) => on === false)).toBe(true);
  });

  test('micro22 switches exactly the three MICRO22-artifact roundings', () => {
    const on = Object.entries(COMPAT_MODES.micro22).filter(([, v]) => v).map(([k]) => k);
    expect(on.sort()).toEqual(['ceilCompressedAccesses', 'float32SafProbability', 'roundedComputeSafProbability']);
  });

  test('every mode defines every behaviour, and every behaviour is on in some mode', () => {
    const names = Object.keys(COMPAT_MODES.public).sort();
    for (const mode of COMPAT_MODE_NAMES) expect(Object.keys(COMPAT_MODES[mode]).sort(), mode).toEqual(names);
    for (const name of names) {
      expect(COMPAT_MODE_NAMES.some((m) => (COMPAT_MODES[m] as Record<string, boolean>)[name]), name).toBe(true);
    }
  });

  test('the engine names no mode outside the table (it tests behaviours)', () => {
    const table = join(REPO_ROOT, 'engine', 'compat-modes.ts');
    const modeLiteral = new RegExp(`['"\`](${COMPAT_MODE_NAMES.map((m) => m.replace(/[.-]/g, '\\$&')).join('|')})['"\`]`);
    const offenders = sources(join(REPO_ROOT, 'engine'))
      .filter((f) => f !== table)
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => [line, i] as const)
          // comments may name a mode (documentation), code may not
          .filter(([line]) => !/^\s*(\*|\/\/|\/\*)/.test(line) && modeLiteral.test(line))
          .map(([line, i]) => `${relative(REPO_ROOT, f)}:${i + 1}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
