/**
 * Parsed spec files shared between loads in one process (a batch evaluating many run dirs, or the
 * validate cases that all read the same architecture, ERT and ART files). A parsed Source is never
 * modified by the loader, so one parse can serve every load of the same file. Keyed by real path,
 * modification time and size; a templated file also by its template variables. Errors are not
 * cached: a file that fails to parse is parsed (and fails) again on the next load.
 */
import { realpathSync, statSync } from 'node:fs';
import { readSource, type Source, type TemplateVars } from './source.ts';
import type { KeyPolicy } from './unknown-keys.ts';

export class SourceCache {
  private readonly plain = new Map<string, Source>();
  private readonly templated = new Map<string, Source>();
  hits = 0;
  misses = 0;

  /**
   * Like readSource; the Source names `file` as given, whichever path parsed it first, and carries
   * this load's key policy (parsing does not use it; reading the spec records unknown keys in it).
   */
  read = (file: string, vars: TemplateVars, keys: KeyPolicy): Source => {
    let key: string;
    try {
      const s = statSync(file);
      key = `${realpathSync(file)}\0${s.mtimeMs}\0${s.size}`;
    } catch {
      return readSource(file, vars, keys); // not readable: let readSource report it
    }
    const varsKey = `${key}\0${JSON.stringify(Object.entries(vars).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;
    const hit = this.plain.get(key) ?? this.templated.get(varsKey);
    if (hit) {
      this.hits++;
      return { ...hit, file, keys };
    }
    this.misses++;
    const source = readSource(file, vars, keys);
    if (source.templated) this.templated.set(varsKey, source);
    else this.plain.set(key, source);
    return source;
  };
}
