/**
 * Golden-case manifests (`golden/<suite>/cases.yaml`): which cases a suite has, where their reference
 * output lives, which compat mode, spec files and template variables reproduce each one. Read by the
 * vitest suites and by `validate`; every suite folder with a `cases.yaml` is a suite.
 *
 * `reference_inputs` (required) says whether each reference run dir also holds the inputs the
 * reference was produced from (aggregated_input.yaml, ERT.yaml, ART.yaml): true for a shared
 * artifact, false for a suite that commits only the reference outputs (golden/oracle). Only with
 * inputs can a suite check that its own spec evaluates like the reference's inputs.
 * A case's `layer` and `kind` are optional (both or neither); they name the case (`conv3 sparse`)
 * and pair sparse with dense cases for the compression row. Without them the case is named by its id.
 *
 * Suites of published run folders (golden/corpus) add:
 * - `case_spec_root` (top level): each case's `spec:` files are relative to `<reference>/<root>`
 *   (the run folder's own inputs) instead of the manifest's folder;
 * - `reference_stats` / `reference_xml` (top level): where in a reference run dir the stats file and
 *   its XML are (default `output/timeloop-model.stats.txt`, `output/timeloop-model.map+stats.xml`);
 * - `refusal_causes` (top level): cause id -> what Timeloop prints, what in the inputs triggers it,
 *   and `ours`, a regular expression our one-line error (`kind error in field: message`) must match;
 * - `report: status` (top level): `validate` writes a status report (per source and architecture:
 *   exact / differs / refused) instead of the per-metric one;
 * - `published_stats` (top level): where a run dir may hold the outputs published with it (first
 *   existing file; its map+stats.xml beside it), compared in the status report with the reference;
 * - per case `expect: exact | refused` (default exact) and, when refused, `cause` (a refusal cause id)
 *   and `timeloop_error` (Timeloop's message); `source` and `architecture` group the report.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { SparsegaugeError } from '../../../engine/errors.ts';
import { REPO_ROOT } from '../repo-root.ts';
import { resolveFromRoot } from '../shared-root.ts';
import { fileNameProblem } from '../safe-write.ts';
import { COMPAT_MODE_NAMES } from '../../../engine/compat-modes.ts';
import type { CompatMode } from '../../../engine/result/schema.ts';

export interface GoldenCase {
  id: string;
  layer?: string;
  /** `sparse` or `dense` (free text in the manifest; pairs of the two make the compression row). */
  kind?: string;
  compat: CompatMode;
  /** Absolute path of the reference run dir (output/, and the inputs when the manifest has reference_inputs). */
  referenceDir: string;
  /** Absolute paths of this case's spec files: the manifest's `spec:` list, then the case's own `spec:` list. */
  spec: string[];
  vars: Record<string, string>;
  /** Absolute path of the imported golden result. */
  goldenFile: string;
  /** What the reference build does with the inputs: runs them (`exact`: we must match) or refuses them. */
  expect: CaseExpectation;
  /** Refused cases: the refusal cause id (a key of the manifest's `refusal_causes`). */
  cause?: string;
  /** Refused cases: the reference build's own message, as printed. */
  timeloopError?: string;
  /** Grouping for reports (the published run folder's source repository and architecture). */
  source?: string;
  architecture?: string;
  /**
   * A case checked against a further reference (`mode_references`): its id is `<case id>@<compat>`
   * (what known-gaps.yaml names); `caseId` is the manifest's id, `goldenDir` the suite subfolder of
   * its golden results.
   */
  modeReference?: { caseId: string; goldenDir: string };
}

export type CaseExpectation = 'exact' | 'refused';

/** Why the reference build refuses a set of cases, and what our refusal must name to be the same cause. */
export interface RefusalCause {
  id: string;
  /** What the reference build prints. */
  timeloop: string;
  /** What in the inputs triggers it. */
  trigger: string;
  /** Our one-line error (without file and position) must match this. */
  ours: RegExp;
}

export interface Manifest {
  suite: string;
  file: string;
  /** Absolute paths of the project's own spec files (templates) every case uses, from the manifest's `spec:` list. */
  spec: string[];
  /** Whether the reference run dirs hold the reference's inputs (see the file comment). */
  referenceInputs: boolean;
  /** Absolute path of the reference root (absent in a clone without ../shared). */
  referenceRoot: string;
  /** Whether each case's spec files are the reference run dir's own inputs (`case_spec_root`). */
  specFromReference: boolean;
  /** Stats file and XML within a reference run dir. */
  referenceStats: string;
  referenceXml: string;
  refusalCauses: Record<string, RefusalCause>;
  /** Which report `validate` writes: per-metric (`metrics`, the default) or per-status (`status`). */
  report: 'metrics' | 'status';
  /** Candidate paths (in a run dir) of the stats published with it. */
  publishedStats: string[];
  cases: GoldenCase[];
}

export const DEFAULT_REFERENCE_STATS = 'output/timeloop-model.stats.txt';
export const DEFAULT_REFERENCE_XML = 'output/timeloop-model.map+stats.xml';

const COMPAT_MODES: readonly CompatMode[] = COMPAT_MODE_NAMES;

/** Repository root: three levels above this file (scripts/lib/report). */
export { REPO_ROOT };

/** Every `golden/<suite>/cases.yaml` under the repository, sorted by suite name. */
export function findManifestFiles(root: string = REPO_ROOT): string[] {
  const golden = join(root, 'golden');
  return readdirSync(golden, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(golden, d.name, 'cases.yaml')))
    .map((d) => join(golden, d.name, 'cases.yaml'))
    .sort();
}

export function loadManifest(file: string, root: string = REPO_ROOT): Manifest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SparsegaugeError('io', 'cannot read the case manifest', { file });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lineCounter.linePos(e.pos[0]);
    throw new SparsegaugeError('yaml-syntax', e.message.split('\n')[0], { file, position: { line: pos.line, column: pos.col } });
  }
  const fail = (field: string, message: string, node?: Node | null): never => {
    const offset = node?.range?.[0];
    const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
    throw new SparsegaugeError('schema', message, {
      file,
      field,
      ...(pos ? { position: { line: pos.line, column: pos.col } } : {}),
    });
  };
  const top = doc.contents;
  if (!isMap(top)) return fail('(root)', 'expected a mapping with suite, reference_root, reference_inputs, cases', top);

  const str = (node: unknown, field: string): string => {
    const n = node as Node | undefined;
    const v = n && 'value' in n ? (n as { value: unknown }).value : undefined;
    if (typeof v !== 'string' || v === '') return fail(field, 'expected a non-empty string', n);
    return v;
  };
  const suite = str(top.get('suite', true), 'suite');
  const suiteProblem = fileNameProblem(suite);
  if (suiteProblem) fail('suite', `suite name '${suite}' cannot name a file: ${suiteProblem}`, top.get('suite', true) as Node);
  const referenceRoot = resolveFromRoot(str(top.get('reference_root', true), 'reference_root'), root);
  const base = dirname(file);
  const referenceInputsNode = top.get('reference_inputs', true) as Node | undefined;
  const referenceInputs = (referenceInputsNode as { value?: unknown } | undefined)?.value;
  if (typeof referenceInputs !== 'boolean') {
    fail('reference_inputs', 'expected true or false (do the reference run dirs hold the reference inputs?)', referenceInputsNode ?? top);
  }

  const specList = (node: Node | undefined, field: string, dir = base): string[] => {
    if (node === undefined) return [];
    if (!isSeq(node)) return fail(field, 'expected a list of spec file paths', node);
    return (node as unknown as { items: Node[] }).items.map((item, i) => resolve(dir, str(item, `${field}[${i}]`)));
  };
  const spec = specList(top.get('spec', true) as Node | undefined, 'spec');
  const optionalStr = (key: string): string | undefined => (top.has(key) ? str(top.get(key, true), key) : undefined);
  const caseSpecRoot = optionalStr('case_spec_root');
  const referenceStats = optionalStr('reference_stats') ?? DEFAULT_REFERENCE_STATS;
  const referenceXml = optionalStr('reference_xml') ?? DEFAULT_REFERENCE_XML;
  const report = optionalStr('report') ?? 'metrics';
  if (report !== 'metrics' && report !== 'status') fail('report', `expected metrics or status, not '${report}'`, top.get('report', true) as Node);
  const publishedNode = top.get('published_stats', true) as Node | undefined;
  if (publishedNode !== undefined && !isSeq(publishedNode)) fail('published_stats', 'expected a list of paths inside a reference run dir', publishedNode);
  const publishedStats = publishedNode === undefined ? [] : (publishedNode as unknown as { items: Node[] }).items.map((n, i) => str(n, `published_stats[${i}]`));
  const refusalCauses = loadRefusalCauses(top.get('refusal_causes', true) as Node | undefined, str, fail);

  const casesNode = top.get('cases', true) as Node | undefined;
  if (!isSeq(casesNode)) return fail('cases', 'expected a list of cases', casesNode);
  const seen = new Set<string>();
  const cases = (casesNode as unknown as { items: Node[] }).items.map((item, i): GoldenCase => {
    const at = `cases[${i}]`;
    if (!isMap(item)) return fail(at, 'expected a mapping', item);
    const id = str(item.get('id', true), `${at}.id`);
    const idProblem = fileNameProblem(id);
    if (idProblem) fail(`${at}.id`, `case id '${id}' cannot name a file: ${idProblem}`, item.get('id', true) as Node);
    if (seen.has(id)) fail(`${at}.id`, `duplicate case id '${id}'`, item.get('id', true) as Node);
    seen.add(id);
    const compat = str(item.get('compat', true), `${at}.compat`);
    if (!COMPAT_MODES.includes(compat as CompatMode)) {
      fail(`${at}.compat`, `unknown compat mode '${compat}' (expected ${COMPAT_MODES.join(' or ')})`, item.get('compat', true) as Node);
    }
    const varsNode = item.get('vars', true) as Node | undefined;
    const vars: Record<string, string> = Object.create(null); // names come from the manifest
    if (varsNode !== undefined) {
      if (!isMap(varsNode)) fail(`${at}.vars`, 'expected a mapping of template variables', varsNode);
      for (const pair of (varsNode as unknown as { items: { key: Node; value: Node }[] }).items) {
        const key = str(pair.key, `${at}.vars`);
        vars[key] = String((pair.value as { value?: unknown })?.value ?? fail(`${at}.vars.${key}`, 'expected a value', pair.value));
      }
    }
    const layerNode = item.get('layer', true) as Node | undefined;
    const kindNode = item.get('kind', true) as Node | undefined;
    if ((layerNode === undefined) !== (kindNode === undefined)) {
      fail(`${at}.${layerNode === undefined ? 'layer' : 'kind'}`, 'give both layer and kind, or neither', item);
    }
    const reference = resolve(referenceRoot, str(item.get('reference', true), `${at}.reference`));
    const caseSpecDir = caseSpecRoot === undefined ? base : resolve(reference, caseSpecRoot);
    const caseSpec = specList(item.get('spec', true) as Node | undefined, `${at}.spec`, caseSpecDir);
    const optional = (key: string): string | undefined => (item.has(key) ? str(item.get(key, true), `${at}.${key}`) : undefined);
    const expect = optional('expect') ?? 'exact';
    if (expect !== 'exact' && expect !== 'refused') fail(`${at}.expect`, `expected exact or refused, not '${expect}'`, item.get('expect', true) as Node);
    const cause = optional('cause');
    if ((expect === 'refused') !== (cause !== undefined)) fail(`${at}.cause`, 'a refused case names its cause, an exact case has none', item);
    if (cause !== undefined && !(cause in refusalCauses)) fail(`${at}.cause`, `unknown refusal cause '${cause}' (not in refusal_causes)`, item.get('cause', true) as Node);
    const extra = {
      ...(cause === undefined ? {} : { cause }),
      ...(optional('timeloop_error') === undefined ? {} : { timeloopError: optional('timeloop_error') }),
      ...(optional('source') === undefined ? {} : { source: optional('source') }),
      ...(optional('architecture') === undefined ? {} : { architecture: optional('architecture') }),
    };
    return {
      id,
      ...(layerNode === undefined ? {} : { layer: str(layerNode, `${at}.layer`), kind: str(kindNode, `${at}.kind`) }),
      compat: compat as CompatMode,
      referenceDir: reference,
      spec: [...spec, ...caseSpec],
      vars,
      goldenFile: join(base, `${id}.json`),
      expect: expect as CaseExpectation,
      ...extra,
    };
  });
  const modeCases = modeReferences(top.get('mode_references', true) as Node | undefined, str, fail).flatMap((m) =>
    cases
      .filter((c) => c.expect === 'exact')
      .map(
        (c): GoldenCase => ({
          ...c,
          id: `${c.id}@${m.compat}`,
          compat: m.compat,
          referenceDir: resolve(resolveFromRoot(m.referenceRoot, root), relative(referenceRoot, c.referenceDir)),
          goldenFile: join(base, m.goldenDir, `${c.id}.json`),
          modeReference: { caseId: c.id, goldenDir: m.goldenDir },
        }),
      ),
  );
  return {
    suite,
    file,
    spec,
    referenceInputs: referenceInputs as boolean,
    referenceRoot,
    specFromReference: caseSpecRoot !== undefined,
    referenceStats,
    referenceXml,
    refusalCauses,
    report: report as Manifest['report'],
    publishedStats,
    cases: [...cases, ...modeCases],
  };
}

/** One entry of a manifest's `mode_references` (root relative to the repository, golden_dir to the suite). */
export interface ModeReference {
  compat: CompatMode;
  referenceRoot: string;
  goldenDir: string;
}

/**
 * `mode_references`: further references of the same cases from other Timeloop builds, each checked
 * in its own compat mode (`{ compat, reference_root, golden_dir }`). Every case the reference build
 * runs is then also evaluated in that mode against `<reference_root>/<reference>` (same output
 * paths), as case `<id>@<compat>` with its golden result in `<suite>/<golden_dir>/<id>.json`; its
 * known gaps go in the suite's known-gaps.yaml under that id.
 */
export function modeReferences(
  node: Node | undefined,
  str: (node: unknown, field: string) => string,
  fail: (field: string, message: string, node?: Node | null) => never,
): ModeReference[] {
  if (node === undefined) return [];
  if (!isSeq(node)) return fail('mode_references', 'expected a list of { compat, reference_root, golden_dir }', node);
  return (node as unknown as { items: Node[] }).items.map((item, i) => {
    const at = `mode_references[${i}]`;
    if (!isMap(item)) return fail(at, 'expected a mapping', item);
    for (const pair of (item as unknown as { items: { key: { value?: unknown } }[] }).items) {
      const key = String(pair.key?.value);
      if (!['compat', 'reference_root', 'golden_dir'].includes(key)) fail(`${at}.${key}`, `unknown key '${key}' (expected compat, reference_root, golden_dir)`, item);
    }
    const compat = str(item.get('compat', true), `${at}.compat`);
    if (!COMPAT_MODES.includes(compat as CompatMode)) {
      fail(`${at}.compat`, `unknown compat mode '${compat}' (expected ${COMPAT_MODES.join(' or ')})`, item.get('compat', true) as Node);
    }
    const goldenDir = str(item.get('golden_dir', true), `${at}.golden_dir`);
    if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(goldenDir)) fail(`${at}.golden_dir`, 'expected one folder name', item.get('golden_dir', true) as Node);
    return { compat: compat as CompatMode, referenceRoot: str(item.get('reference_root', true), `${at}.reference_root`), goldenDir };
  });
}

function loadRefusalCauses(
  node: Node | undefined,
  str: (node: unknown, field: string) => string,
  fail: (field: string, message: string, node?: Node | null) => never,
): Record<string, RefusalCause> {
  const causes: Record<string, RefusalCause> = {};
  if (node === undefined) return causes;
  if (!isMap(node)) return fail('refusal_causes', 'expected a mapping of cause id to { timeloop, trigger, ours }', node);
  for (const pair of (node as unknown as { items: { key: Node; value: Node }[] }).items) {
    const id = str(pair.key, 'refusal_causes');
    const at = `refusal_causes.${id}`;
    if (!isMap(pair.value)) fail(at, 'expected { timeloop, trigger, ours }', pair.value);
    const entry = pair.value as unknown as { get: (k: string, keep: true) => unknown };
    const ours = str(entry.get('ours', true), `${at}.ours`);
    let pattern: RegExp;
    try {
      pattern = new RegExp(ours);
    } catch (e) {
      return fail(`${at}.ours`, `not a regular expression: ${(e as Error).message}`, entry.get('ours', true) as Node);
    }
    causes[id] = { id, timeloop: str(entry.get('timeloop', true), `${at}.timeloop`), trigger: str(entry.get('trigger', true), `${at}.trigger`), ours: pattern };
  }
  return causes;
}

/** Human label used in test names and reports: `conv3 sparse` (layer and kind), else the case id. */
export function caseLabel(c: GoldenCase): string {
  return c.layer !== undefined && c.kind !== undefined ? `${c.layer} ${c.kind}` : c.id;
}

/**
 * The case-specific spec files of a suite (each case's own `spec:` entries), as display patterns
 * with the case id replaced by `<case id>` (`golden/oracle/spec/<case id>.yaml`); [] when every
 * case uses only the manifest's `spec:` list.
 */
export function caseSpecPatterns(manifest: Manifest, display: (file: string) => string = (f) => f): string[] {
  const patterns = manifest.cases
    .filter((c) => !c.modeReference)
    .flatMap((c) => c.spec.slice(manifest.spec.length).map((f) => display(f).split(c.id).join('<case id>')));
  return [...new Set(patterns)];
}
