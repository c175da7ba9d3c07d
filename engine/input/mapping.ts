/**
 * `mapping`: a list of directives (`temporal`, `spatial`, `bypass`/`datatype`) per storage level
 * → one LevelMapping per level, loops innermost first. Rules (Timeloop's):
 * - `factors: "C=4 M=16"`: a dimension not named has factor 1; factor 0 takes whatever the other
 *   factors of that dimension leave (at most one 0 per dimension).
 * - `permutation`: innermost loop first; spaces are ignored; dimensions not named follow in
 *   problem order.
 * - `split` (spatial): the first `split` loops of the permutation go along X, the rest along Y
 *   (default, or a split past the last loop: all along X).
 * - `keep` / `bypass`: a data space named in neither is kept. The outermost level must keep all.
 *   `stream` lists are checked for data-space names and otherwise have no effect.
 * Checked here: factors multiply to the problem size, spatial factors fit the fanout to the next
 * level, targets are storage levels, no directive given twice.
 */
import type { Architecture, LevelMapping, LoopSpec, Mapping, Problem } from './types.ts';
import { child, fail, isPresent, mapFields, required, seqFields, stringValue, unknownKey, type Field } from './field.ts';
import { integerField, integerText } from './numbers.ts';
import type { SourcePosition } from '../errors.ts';

type Positions = Record<string, { file: string; position: SourcePosition }>;

interface ParsedFactor {
  dimension: string;
  end: number;
  field: Field;
  /** e.g. `DRAM temporal` */
  where: string;
}

function parseFactors(f: Field, problem: Problem, where: string): Map<string, ParsedFactor> {
  const text = stringValue(f).trim();
  const out = new Map<string, ParsedFactor>();
  for (const token of text.split(/\s+/).filter(Boolean)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*?)=?(-?\d+)$/.exec(token);
    if (!m) fail(f, 'schema', `malformed factor '${token}' (expected DIM=integer or DIMinteger, e.g. C=4 or C4)`);
    const [, dim, value] = m;
    if (!problem.dimensions.includes(dim)) fail({ ...f, path: `${f.path}.${dim}` }, 'reference', `unknown dimension '${dim}' (problem dimensions: ${problem.dimensions.join(' ')})`);
    if (out.has(dim)) fail({ ...f, path: `${f.path}.${dim}` }, 'mapping', `dimension ${dim} given twice`);
    if (value.startsWith('-')) fail({ ...f, path: `${f.path}.${dim}` }, 'value', `factor ${dim}=${value} is negative`);
    const end = integerText({ ...f, path: `${f.path}.${dim}` }, value, { min: 0 }, 'factor');
    out.set(dim, { dimension: dim, end, field: { ...f, path: `${f.path}.${dim}` }, where });
  }
  return out;
}

function parsePermutation(f: Field, problem: Problem): string[] {
  if (!isPresent(f)) return [...problem.dimensions];
  const text = stringValue(f).replace(/\s+/g, '');
  const order: string[] = [];
  // Dimensions are usually single letters; longer names are matched greedily.
  const names = [...problem.dimensions].sort((a, b) => b.length - a.length);
  let rest = text;
  while (rest.length > 0) {
    const dim = names.find((d) => rest.startsWith(d));
    if (!dim) fail(f, 'reference', `permutation '${text}' names an unknown dimension at '${rest}'`);
    if (order.includes(dim)) fail(f, 'mapping', `permutation '${text}' names ${dim} twice`);
    order.push(dim);
    rest = rest.slice(dim.length);
  }
  return [...order, ...problem.dimensions.filter((d) => !order.includes(d))];
}

interface LevelDraft {
  temporal?: { loops: (ParsedFactor | LoopSpec)[]; field: Field };
  spatial?: { x: (ParsedFactor | LoopSpec)[]; y: (ParsedFactor | LoopSpec)[]; field: Field };
  keep: Set<string>;
  bypass: Set<string>;
  noLinkTransfer?: string[];
  /** Where each kept / bypassed data space is named (`mapping[3].bypass.Weights`), for errors. */
  named: { keep: Map<string, Field>; bypass: Map<string, Field> };
  first?: Field;
}

function loopsFor(order: string[], factors: Map<string, ParsedFactor>): (ParsedFactor | LoopSpec)[] {
  return order.map((d) => factors.get(d) ?? { dimension: d, end: 1 });
}

/** Keys each directive type reads (Timeloop's mapping parser). */
const ALLOWED_FOR: Record<string, readonly string[]> = {
  temporal: ['target', 'type', 'factors', 'permutation'],
  spatial: ['target', 'type', 'factors', 'permutation', 'split', 'no_link_transfer', 'no_multicast_no_reduction'],
  bypass: ['target', 'type', 'keep', 'bypass', 'stream'],
  datatype: ['target', 'type', 'keep', 'bypass', 'stream'],
};
const DIRECTIVE_KEYS = [...new Set(Object.values(ALLOWED_FOR).flat())];

export function parseMapping(mapping: Field, problem: Problem, architecture: Architecture, positions: Positions): Mapping {
  const levelNames = architecture.storage.map((s) => s.name);
  const drafts = new Map<string, LevelDraft>(levelNames.map((n) => [n, { keep: new Set(), bypass: new Set(), named: { keep: new Map(), bypass: new Map() } }]));
  const dsNames = problem.dataSpaces.map((d) => d.name);
  const directives = seqFields(mapping);

  for (const dir of directives) {
    const keys = mapFields(dir, DIRECTIVE_KEYS);
    const targetField = required(dir, keys, 'target');
    const target = stringValue(targetField);
    const draft = drafts.get(target);
    if (!draft) {
      const what = target === architecture.arithmetic.name ? 'the arithmetic level (map its loops at the innermost storage level)' : 'not a storage level';
      fail(targetField, 'reference', `mapping target '${target}' is ${what} (levels: ${levelNames.join(', ')})`);
    }
    draft.first ??= dir;
    if (!positions[`mapping[${target}]`]) {
      const p = dir.node?.range?.[0];
      if (p !== undefined) {
        const lp = dir.source.lineCounter.linePos(p);
        positions[`mapping[${target}]`] = { file: dir.source.file, position: { line: lp.line, column: lp.col } };
      }
    }
    const typeField = required(dir, keys, 'type');
    const type = stringValue(typeField);
    const allowed = ALLOWED_FOR[type];
    if (!allowed) fail(typeField, 'schema', `unknown directive type '${type}' (expected temporal, spatial, bypass or datatype)`);
    for (const [k, f] of keys) {
      if (allowed.includes(k)) continue;
      // A key of another directive type: Timeloop does not read it here.
      unknownKey({ ...f, node: f.key ?? f.node }, k, allowed, { strictReason: ` in a ${type} directive (it does not belong there)` });
      keys.delete(k);
    }
    const noMulticast = child(dir, keys, 'no_multicast_no_reduction');
    if (isPresent(noMulticast)) fail(noMulticast, 'unsupported', `'no_multicast_no_reduction' is not modelled`);

    if (type === 'temporal' || type === 'spatial') {
      const where = `${target} ${type}`;
      if (draft[type]) fail(dir, 'mapping', `a second ${type} directive for ${target}`);
      const factors = isPresent(child(dir, keys, 'factors')) ? parseFactors(child(dir, keys, 'factors'), problem, where) : new Map<string, ParsedFactor>();
      const loops = loopsFor(parsePermutation(child(dir, keys, 'permutation'), problem), factors);
      if (type === 'temporal') draft.temporal = { loops, field: dir };
      else {
        const splitField = child(dir, keys, 'split');
        // As in Timeloop, loop i goes along X when i < split: a split past the last loop puts all along X.
        const split = Math.min(isPresent(splitField) ? integerField(splitField, { min: 0 }) : loops.length, loops.length);
        draft.spatial = { x: loops.slice(0, split), y: loops.slice(split), field: dir };
        const noLink = child(dir, keys, 'no_link_transfer');
        if (isPresent(noLink)) draft.noLinkTransfer = dataSpaceList(noLink, dsNames);
      }
    } else {
      // `stream` (mapper output) is checked for names but does not change what a level keeps.
      for (const [key, set] of [['keep', draft.keep], ['bypass', draft.bypass], ['stream', new Set<string>()]] as const) {
        const f = child(dir, keys, key);
        if (!isPresent(f)) continue;
        seqFields(f).forEach((item) => {
          const ds = stringValue(item);
          if (!dsNames.includes(ds)) fail(item, 'reference', `unknown data space '${ds}' (data spaces: ${dsNames.join(', ')})`);
          set.add(ds);
          if (key !== 'stream') draft.named[key].set(ds, { ...item, path: `${f.path}.${ds}` });
        });
      }
      for (const ds of draft.keep) if (draft.bypass.has(ds)) fail(draft.named.bypass.get(ds)!, 'mapping', `${ds} is both kept and bypassed at ${target}`);
    }
  }

  checkFactors(mapping, problem, [...drafts.values()]);
  const levels = levelNames.map((name): LevelMapping => {
    const d = drafts.get(name)!;
    const toLoop = (l: ParsedFactor | LoopSpec): LoopSpec => ({ dimension: l.dimension, end: l.end });
    return {
      target: name,
      temporal: d.temporal ? d.temporal.loops.map(toLoop) : problem.dimensions.map((dim) => ({ dimension: dim, end: 1 })),
      spatial: d.spatial ? { x: d.spatial.x.map(toLoop), y: d.spatial.y.map(toLoop) } : { x: [], y: [] },
      keep: dsNames.filter((ds) => !d.bypass.has(ds)),
      ...(d.noLinkTransfer ? { noLinkTransfer: d.noLinkTransfer } : {}),
    };
  });
  checkFanout(levels, drafts, architecture);
  checkKeep(mapping, levels, drafts, dsNames);
  return { levels };
}

/** A list of data-space names (Timeloop exits on a name the problem does not have). */
function dataSpaceList(f: Field, dsNames: string[]): string[] {
  return seqFields(f).map((item) => {
    const ds = stringValue(item);
    if (!dsNames.includes(ds)) fail(item, 'reference', `unknown data space '${ds}' (data spaces: ${dsNames.join(', ')})`);
    return ds;
  });
}

const offsetOf = (f: Field): number => (f.node ?? f.anchor)?.range?.[0] ?? 0;

/** Resolve factor 0 and check every dimension's factors multiply to its size (mutates the drafts' loops). */
function checkFactors(mapping: Field, problem: Problem, drafts: LevelDraft[]): void {
  const all: (ParsedFactor | LoopSpec)[] = drafts.flatMap((d) => [...(d.temporal?.loops ?? []), ...(d.spatial?.x ?? []), ...(d.spatial?.y ?? [])]);
  for (const dim of problem.dimensions) {
    const loops = all.filter((l) => l.dimension === dim);
    // In file order, so an error points at the first (or second) place the user wrote the factor.
    const explicit = loops.filter((l): l is ParsedFactor => 'field' in l).sort((a, b) => offsetOf(a.field) - offsetOf(b.field));
    const zeros = explicit.filter((l) => l.end === 0);
    if (zeros.length > 1) fail(zeros[1].field, 'mapping', `dimension ${dim} has factor 0 at both ${zeros[0].where} and ${zeros[1].where} (at most one may take the remainder)`);
    const product = loops.reduce((p, l) => (l.end === 0 ? p : p * l.end), 1);
    const bound = problem.bounds[dim];
    const listing = explicit.filter((l) => l.end !== 1).map((l) => `${l.where} ${l.end}`).join(' x ') || 'all 1';
    const at = explicit.find((l) => l.end !== 1)?.field ?? explicit[0]?.field ?? mapping;
    if (zeros.length === 1) {
      if (bound % product !== 0) fail(zeros[0].field, 'mapping', `factors of ${dim} (${listing}) do not divide its size ${bound}, so factor 0 has no integer value`);
      zeros[0].end = bound / product;
    } else if (product !== bound) {
      fail({ ...at, path: at.path || `mapping.factors.${dim}` }, 'mapping', `factors of ${dim} multiply to ${product} (${listing}) but the problem has ${dim} = ${bound}`);
    }
  }
}

function checkFanout(levels: LevelMapping[], drafts: Map<string, LevelDraft>, architecture: Architecture): void {
  levels.forEach((lm, s) => {
    const outer = architecture.storage[s];
    const inner = s === 0 ? architecture.arithmetic : architecture.storage[s - 1];
    const draft = drafts.get(lm.target)!;
    const field = draft.spatial?.field ?? draft.first;
    for (const [axis, mesh, innerMesh] of [['X', outer.meshX, inner.meshX], ['Y', outer.meshY, inner.meshY]] as const) {
      const loops = axis === 'X' ? lm.spatial.x : lm.spatial.y;
      const product = loops.reduce((p, l) => p * l.end, 1);
      const fanout = innerMesh / mesh;
      if (!Number.isInteger(fanout)) {
        if (field) fail(field, 'mapping', `${inner.name} mesh ${axis} (${innerMesh}) is not a multiple of ${outer.name} mesh ${axis} (${mesh})`);
        continue;
      }
      if (product > fanout) {
        fail(field!, 'mapping', `spatial factors of ${lm.target} along ${axis} multiply to ${product} but ${outer.name} fans out to ${fanout} ${inner.name} along ${axis}`);
      }
    }
  });
}

function checkKeep(mapping: Field, levels: LevelMapping[], drafts: Map<string, LevelDraft>, dsNames: string[]): void {
  const outermost = levels[levels.length - 1];
  // A data space the outermost level does not keep is named in its bypass list.
  const outerBypass = (ds: string): Field => drafts.get(outermost.target)!.named.bypass.get(ds) ?? drafts.get(outermost.target)!.first ?? mapping;
  for (const ds of dsNames) {
    if (levels.every((l) => !l.keep.includes(ds))) fail(outerBypass(ds), 'mapping', `${ds} is bypassed at every level`);
    if (!outermost.keep.includes(ds)) {
      fail(outerBypass(ds), 'mapping', `the outermost level ${outermost.target} must keep ${ds} (it is the backing store)`);
    }
  }
}
