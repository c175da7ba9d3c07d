/**
 * What `import-golden` needs from a case manifest (golden/<suite>/cases.yaml): the suite name, per
 * case its id, compat mode and reference run dir, plus the reference root the recorded sources are
 * relative to (the shared artifact beside the clone, or a folder in the repository such as
 * golden/oracle/reference). `layer` and `kind` are optional (both or neither). `reference_stats` and
 * `reference_xml` say where a run dir holds its outputs; a case with `expect: refused` (the reference
 * build refuses its inputs) has no outputs and no golden file.
 */
import { resolveFromRoot } from '../shared-root.ts';
import { fileNameProblem } from '../safe-write.ts';
import { dirname, join, resolve } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { SparsegaugeError } from '../../../engine/errors.ts';
import { REPO_ROOT } from '../repo-root.ts';
import type { CompatMode } from '../../../engine/result/schema.ts';
import { readTextFile } from './import-stats.ts';
import { modeReferences } from '../report/manifest.ts';
import { COMPAT_MODE_NAMES, isCompatMode } from '../../../engine/compat-modes.ts';

/** Repository root: three levels above this file (scripts/lib/stats). */
export { REPO_ROOT };

export interface ImportCase {
  id: string;
  layer?: string;
  kind?: string;
  compat: CompatMode;
  /** Relative to the reference root, as the manifest writes it. */
  reference: string;
}

export interface ImportManifest {
  suite: string;
  file: string;
  /** Absolute. */
  referenceRoot: string;
  /** Stats file and XML within a reference run dir. */
  referenceStats: string;
  referenceXml: string;
  /** Only the cases with reference outputs (not `expect: refused`). */
  cases: ImportCase[];
  /** Further references of the same cases (`mode_references`): absolute root, golden folder under the suite, compat mode. */
  modeReferences: { compat: CompatMode; referenceRoot: string; goldenDir: string }[];
}

export const DEFAULT_STATS_FILE = 'output/timeloop-model.stats.txt';
export const DEFAULT_XML_FILE = 'output/timeloop-model.map+stats.xml';

export function loadImportManifest(file: string, root: string = REPO_ROOT): ImportManifest {
  const lineCounter = new LineCounter();
  const doc = parseDocument(readTextFile(file), { lineCounter });
  const at = (node: Node | null | undefined) => {
    const offset = node?.range?.[0];
    if (offset === undefined) return undefined;
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    const p = lineCounter.linePos(doc.errors[0].pos[0]);
    throw new SparsegaugeError('yaml-syntax', doc.errors[0].message.split('\n')[0], { file, position: { line: p.line, column: p.col } });
  }
  const fail = (field: string, message: string, node?: Node | null): never => {
    throw new SparsegaugeError('schema', message, { file, field, position: at(node) });
  };
  const top = doc.contents;
  if (!isMap(top)) return fail('', 'expected a mapping at the top level', top as Node);
  const suite: unknown = top.get('suite');
  if (typeof suite !== 'string' || suite === '') return fail('suite', 'expected a non-empty string', top);
  const suiteProblem = fileNameProblem(suite);
  if (suiteProblem) fail('suite', `suite name '${suite}' cannot name a file: ${suiteProblem}`, top);
  const refRoot: unknown = top.get('reference_root');
  if (typeof refRoot !== 'string') return fail('reference_root', 'expected a string (a path relative to the repository root)', top);
  const outputPath = (key: string, fallback: string): string => {
    if (!top.has(key)) return fallback;
    const v: unknown = top.get(key);
    if (typeof v !== 'string' || v === '') return fail(key, 'expected a path inside a reference run dir', top);
    return v;
  };
  const referenceStats = outputPath('reference_stats', DEFAULT_STATS_FILE);
  const referenceXml = outputPath('reference_xml', DEFAULT_XML_FILE);
  const casesNode = top.get('cases', true);
  if (!isSeq(casesNode)) return fail('cases', 'expected a list of cases', top);
  const refused = new Set<number>();
  const cases = casesNode.items.map((item, i): ImportCase => {
    const field = (k: string) => `cases[${i}].${k}`;
    if (!isMap(item)) return fail(`cases[${i}]`, 'expected a mapping', item as Node);
    const str = (k: string): string => {
      const v: unknown = item.get(k);
      if (typeof v !== 'string' || v === '') fail(field(k), 'expected a non-empty string', item);
      return v as string;
    };
    const compat = str('compat');
    if (!isCompatMode(compat)) fail(field('compat'), `expected ${COMPAT_MODE_NAMES.join(' or ')}, not '${compat}'`, item);
    if (item.has('layer') !== item.has('kind')) fail(field(item.has('layer') ? 'kind' : 'layer'), 'give both layer and kind, or neither', item);
    if (item.has('expect') && item.get('expect') === 'refused') refused.add(i);
    const named = item.has('layer') ? { layer: str('layer'), kind: str('kind') } : {};
    return { id: str('id'), ...named, compat: compat as CompatMode, reference: str('reference') };
  });
  const seen = new Set<string>();
  cases.forEach((c, i) => {
    const idProblem = fileNameProblem(c.id);
    if (idProblem) fail(`cases[${i}].id`, `case id '${c.id}' cannot name a file: ${idProblem}`, casesNode.items[i] as Node);
    if (seen.has(c.id)) fail(`cases[${i}].id`, `duplicate case id '${c.id}'`, casesNode.items[i] as Node);
    seen.add(c.id);
  });
  const nodeString = (node: unknown, field: string): string => {
    const v = (node as { value?: unknown } | undefined)?.value;
    return typeof v === 'string' && v !== '' ? v : fail(field, 'expected a non-empty string', node as Node);
  };
  const modes = modeReferences(top.get('mode_references', true) as Node | undefined, nodeString, fail).map((m) => ({
    compat: m.compat,
    referenceRoot: resolveFromRoot(m.referenceRoot, root),
    goldenDir: m.goldenDir,
  }));
  return {
    suite,
    file,
    referenceRoot: resolveFromRoot(refRoot, root),
    referenceStats,
    referenceXml,
    cases: cases.filter((_, i) => !refused.has(i)),
    modeReferences: modes,
  };
}
