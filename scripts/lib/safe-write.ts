/**
 * Writing output files without harming anything the user gave. Every command that writes a file
 * goes through `writeFileSafely`: the target may not be empty, a directory, or (compared by real
 * path) one of the run's inputs; the text goes to a temporary file created exclusively (`wx`, a
 * random name, same folder, so a pre-placed file or symlink at that name is never followed or
 * truncated) and is then renamed over the target, so a failure never leaves a partial file.
 * `isInside` and `checkedFileName` keep paths built from manifest data inside their folder.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, lstatSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { SparsegaugeError } from '../../engine/errors.ts';

/** True when `path` lies strictly inside `dir` (lexically, after resolving `..`). */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Why `name` cannot be one file or folder name (a case id, a suite name), or undefined when it can:
 * no separators, no `.`/`..`, nothing empty, no NUL or other control characters.
 */
export function fileNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name === '.' || name === '..' || name.includes('..')) return "it contains '..'";
  if (/[/\\]/.test(name)) return 'it contains a path separator';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'it contains a control character';
  if (isAbsolute(name)) return 'it is an absolute path';
  return undefined;
}

/** The real path of `path`, or of its folder joined with its name when it does not exist yet. */
function realTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

function realInputs(inputs: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const input of inputs) {
    try {
      out.add(realpathSync(input));
    } catch {
      out.add(resolve(input));
    }
  }
  return out;
}

export interface SafeWriteOptions {
  /** Files the run read: the target may not be one of them. */
  inputs?: readonly string[];
  /** How the target was named, for errors (e.g. `--out`). */
  field?: string;
}

/** Refuse a target that would overwrite an input or is not a file path; before any work is done. */
export function checkOutputPath(path: string, options: SafeWriteOptions = {}): void {
  const field = options.field ?? '--out';
  if (path.trim() === '') throw new SparsegaugeError('io', 'the output path is empty', { field });
  if (existsSync(path) && statSync(path).isDirectory()) throw new SparsegaugeError('io', 'the output path is a directory', { file: path, field });
  const target = realTarget(path);
  if (realInputs(options.inputs ?? []).has(target)) {
    throw new SparsegaugeError('io', 'the output path is an input of this run; it would be overwritten (write elsewhere)', { file: path, field });
  }
}

/** Create `path` exclusively and write `text` to it (fails if anything, a symlink included, is there). */
export function writeNewFile(path: string, text: string): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    const data = Buffer.from(text, 'utf8');
    for (let done = 0; done < data.length; ) done += writeSync(fd, data, done, data.length - done);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A temporary name beside `path` that nothing else uses. */
export function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
}

export function writeFileSafely(path: string, text: string, options: SafeWriteOptions = {}): void {
  checkOutputPath(path, options);
  const tmp = temporaryPath(path);
  try {
    writeNewFile(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    // only remove what we created: a file (never a symlink someone placed) at our random name
    try {
      if (lstatSync(tmp).isFile()) rmSync(tmp, { force: true });
    } catch {
      /* nothing was created */
    }
    if (e instanceof SparsegaugeError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new SparsegaugeError('io', `cannot write file (${code})`, { file: path, field: options.field });
  }
}
