/** Reading a golden case's imported result (golden/<suite>/<case id>.json). */
import { readFileSync } from 'node:fs';
import { SparsegaugeError } from '../../../engine/errors.ts';
import type { Result } from '../../../engine/result/schema.ts';
import type { GoldenCase } from './manifest.ts';

export function loadGolden(c: GoldenCase): Result {
  let text: string;
  try {
    text = readFileSync(c.goldenFile, 'utf8');
  } catch {
    throw new SparsegaugeError('io', `golden result for case '${c.id}' not found (run npm run import-golden)`, { file: c.goldenFile });
  }
  try {
    return JSON.parse(text) as Result;
  } catch (e) {
    throw new SparsegaugeError('schema', `golden result is not JSON: ${(e as Error).message}`, { file: c.goldenFile });
  }
}
