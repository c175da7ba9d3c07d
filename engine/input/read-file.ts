/**
 * Reading one spec file within bounds: it must be a regular file (not a directory, a device such as
 * /dev/zero, or a fifo, which would block or never end) no larger than MAX_SPEC_FILE_BYTES, checked
 * by stat before it is opened and read with that bound; its text must be UTF-8 (a UTF-8 byte order
 * mark is dropped, as yaml-cpp does; UTF-16/32 files are refused naming their encoding, not
 * printing their bytes).
 */
import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { SparsegaugeError } from '../errors.ts';

/** Far above any real spec (the largest corpus input is well under 1 MB), far below memory limits. */
export const MAX_SPEC_FILE_BYTES = 16 * 1024 * 1024;

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a fifo';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

function encodingProblem(bytes: Buffer): string | undefined {
  const b = bytes;
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return 'UTF-32 (little-endian byte order mark)';
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return 'UTF-32 (big-endian byte order mark)';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'UTF-16 (little-endian byte order mark)';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'UTF-16 (big-endian byte order mark)';
  if (b.includes(0)) return 'binary or UTF-16 without a byte order mark (it holds NUL bytes)';
  return undefined;
}

export function readSpecText(file: string): string {
  const fail = (message: string): never => {
    throw new SparsegaugeError('io', message, { file });
  };
  let fd: number;
  try {
    const before = statSync(file); // before opening: opening a fifo would block
    if (!before.isFile()) fail(`cannot read ${kindOf(before)} as a spec file`);
    if (before.size > MAX_SPEC_FILE_BYTES) fail(`file is ${before.size} bytes, more than the ${MAX_SPEC_FILE_BYTES} a spec file may have`);
    fd = openSync(file, 'r');
  } catch (e) {
    if (e instanceof SparsegaugeError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? 'unknown error'})`);
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) fail('cannot read a file that is not a regular file');
    // one byte more than the size stat gave: a file that grew since is refused, not cut short
    const buffer = Buffer.alloc(Math.min(opened.size, MAX_SPEC_FILE_BYTES) + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0; ) length += n;
    if (length === buffer.length) fail('file changed while it was read');
    const bytes = buffer.subarray(0, length);
    const problem = encodingProblem(bytes);
    if (problem) fail(`file is ${problem}; save it as UTF-8`);
    const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start));
    } catch {
      return fail('file is not valid UTF-8; save it as UTF-8');
    }
  } finally {
    closeSync(fd);
  }
}
