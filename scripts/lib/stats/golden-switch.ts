/**
 * Replacing golden files all or nothing. Every suite's new files are written first into one staging
 * folder beside the suites (created exclusively under a random name, on the same filesystem, so the
 * final renames are atomic); a journal listing staged file → target is renamed into place last, and
 * that rename is the commit point. Then each staged file is renamed over its target. A failure
 * before the commit (a failing suite, a full disk, a kill) leaves every golden file as it was and
 * the staging folder is removed (at once, or by the next run); a run killed after the commit is
 * completed by the next run, which finishes the journal's renames before doing anything else.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { SparsegaugeError } from '../../../engine/errors.ts';
import { isInside, writeNewFile } from '../safe-write.ts';

export interface SuiteFiles {
  suite: string;
  /** The suite folder (golden/<suite>/). */
  dir: string;
  /** File texts keyed by path relative to the suite folder. */
  files: Map<string, string>;
}

const STAGING_PREFIX = '.import-staging-';
const JOURNAL = 'journal.json';

interface JournalEntry {
  staged: string;
  /** Relative to the staging folder's parent. */
  target: string;
}

function finish(root: string, stage: string): void {
  const entries = JSON.parse(readFileSync(join(stage, JOURNAL), 'utf8')) as JournalEntry[];
  for (const e of entries) {
    const staged = join(stage, e.staged);
    const target = resolve(root, e.target);
    if (!isInside(root, target) || !isInside(stage, staged)) throw new SparsegaugeError('io', `staged import journal names a path outside ${root}: ${e.target}`, { file: join(stage, JOURNAL) });
    if (!existsSync(staged)) continue; // renamed before an interruption
    mkdirSync(dirname(target), { recursive: true });
    renameSync(staged, target);
  }
  rmSync(stage, { recursive: true, force: true });
}

/**
 * Staging folders left under `root` by an interrupted import: committed ones are completed, the
 * others removed. Returns one line per folder handled.
 */
export function recoverStaging(root: string): string[] {
  if (!existsSync(root)) return [];
  const done: string[] = [];
  for (const name of readdirSync(root)) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const stage = join(root, name);
    if (existsSync(join(stage, JOURNAL))) {
      finish(root, stage);
      done.push(`completed an interrupted import (${name})`);
    } else {
      rmSync(stage, { recursive: true, force: true });
      done.push(`removed an incomplete staged import (${name})`);
    }
  }
  return done;
}

/** Write every suite's files or none: stage under `root` (the folder holding the suites), then switch. */
export function replaceGoldenFiles(root: string, suites: readonly SuiteFiles[]): void {
  const targets: { target: string; text: string }[] = [];
  for (const s of suites) {
    if (!isInside(root, s.dir)) throw new SparsegaugeError('io', `suite folder ${s.dir} is not inside ${root}`, { field: s.suite });
    for (const [name, text] of s.files) {
      const target = resolve(s.dir, name);
      if (!isInside(s.dir, target)) throw new SparsegaugeError('io', `golden file '${name}' would be written outside its suite folder`, { file: s.dir, field: s.suite });
      targets.push({ target, text });
    }
  }
  const stage = join(root, `${STAGING_PREFIX}${randomBytes(8).toString('hex')}`);
  try {
    mkdirSync(stage); // exclusive: fails if the name exists
    const entries: JournalEntry[] = targets.map((t, i) => {
      writeNewFile(join(stage, String(i)), t.text);
      return { staged: String(i), target: relative(root, t.target) };
    });
    writeNewFile(join(stage, `${JOURNAL}.tmp`), JSON.stringify(entries));
    renameSync(join(stage, `${JOURNAL}.tmp`), join(stage, JOURNAL)); // the commit point
  } catch (e) {
    rmSync(stage, { recursive: true, force: true });
    if (e instanceof SparsegaugeError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new SparsegaugeError('io', `cannot stage the golden files (${code}); nothing was changed`, { file: stage });
  }
  finish(root, stage);
}
