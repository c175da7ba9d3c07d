/**
 * `architecture` (Timeloop v0.3 tree: nested `subtree`s with `local` components, `name[a..b]`
 * instance ranges) → storage levels innermost first and the arithmetic level, with Timeloop's
 * defaults where the spec is silent (README "Documented rules"). As in Timeloop, a component reads
 * only its own attributes: subtree attributes are for energy estimation (Accelergy) and are not
 * inherited. Attributes the model reads are type-checked; any other attribute must be a known
 * energy-estimation attribute or be declared by the component's compound class, so a misspelt
 * attribute is an error rather than a silently ignored default.
 */
import type { Architecture, ArithmeticSpec, LegacyNetworkSpec, StorageLevelSpec } from './types.ts';
import {
  booleanValue,
  child,
  fail,
  isPresent,
  mapFields,
  namedItem,
  optionalSeq,
  required,
  scalarValue,
  stringValue,
  unknownKey,
  type Field,
} from './field.ts';
import { MAX_EXACT_COUNT, MAX_SPEC_INTEGER, finiteNumberField, integerField, integerText } from './numbers.ts';

/** A component after flattening the tree. */
export interface FlatComponent {
  field: Field;
  name: string;
  /** dotted path of names with ranges, as Accelergy names ERT/ART tables */
  qualifiedName: string;
  className: string;
  subclass?: string;
  /** instances from the tree (product of the enclosing ranges), before any `instances` attribute */
  treeInstances: number;
  /** the component's own attributes */
  attributes: Map<string, Field>;
}

const RANGE = /^(.*)\[(\d+)\.\.(\d+)\]$/;
/** Instances of one component (nested ranges multiplied): a count, bounded like a spec integer. */
const MAX_INSTANCES = MAX_SPEC_INTEGER;

function checkInstances(f: Field, n: number): void {
  if (n > MAX_INSTANCES) fail(f, 'value', `${n} instances (nested instance ranges multiplied) exceed the largest count of instances the model computes exactly with (2^31 - 1)`);
}

function splitName(f: Field): { base: string; count: number } {
  const raw = stringValue(f);
  const m = RANGE.exec(raw);
  if (!m) {
    if (/[[\]]/.test(raw)) fail(f, 'schema', `malformed instance range in '${raw}' (expected name[first..last])`);
    return { base: raw, count: 1 };
  }
  const first = integerText(f, m[2], { min: 0 }, 'instance index');
  const last = integerText(f, m[3], { min: 0 }, 'instance index');
  if (last < first) fail(f, 'value', `instance range ${first}..${last} is empty`);
  return { base: m[1], count: last - first + 1 };
}

const NODE_KEYS = ['name', 'attributes', 'local', 'subtree', 'version', 'description'];

function flatten(node: Field, instances: number, prefix: string, out: FlatComponent[]): void {
  const keys = mapFields(node, NODE_KEYS);
  const nameField = child(node, keys, 'name');
  const { count } = isPresent(nameField) ? splitName(nameField) : { count: 1 };
  const qualified = isPresent(nameField) ? (prefix ? `${prefix}.${stringValue(nameField)}` : stringValue(nameField)) : prefix;
  const attrsField = child(node, keys, 'attributes');
  if (isPresent(attrsField)) mapFields(attrsField); // must be a mapping; its entries are not inherited
  const n = instances * count;
  checkInstances(nameField, n);
  for (const item of optionalSeq(child(node, keys, 'local'))) {
    const allowed = ['name', 'class', 'subclass', 'attributes', 'description', 'required_actions'];
    // Read the name first, then re-read the item under its name (`local[MACs]`) so errors name it.
    const localName = required(item, mapFields(item, allowed), 'name');
    const { base, count: localCount } = splitName(localName);
    checkInstances(localName, n * localCount);
    const local = namedItem(item, base);
    const lk = mapFields(local, allowed);
    const nf = required(local, lk, 'name');
    const la = child(local, lk, 'attributes');
    const subclass = child(local, lk, 'subclass');
    out.push({
      field: local,
      name: base,
      qualifiedName: qualified ? `${qualified}.${stringValue(nf)}` : stringValue(nf),
      className: stringValue(required(local, lk, 'class')),
      subclass: isPresent(subclass) ? stringValue(subclass) : undefined,
      treeInstances: n * localCount,
      attributes: isPresent(la) ? mapFields(la) : new Map<string, Field>(),
    });
  }
  const subtrees = optionalSeq(child(node, keys, 'subtree'));
  // Timeloop walks a chain of single subtrees (it asserts one subtree per level).
  if (subtrees.length > 1) fail(subtrees[1], 'unsupported', `${subtrees.length} subtrees at one level: Timeloop supports one subtree per level`);
  for (const sub of subtrees) flatten(named(sub), n, qualified, out);
}

/** A subtree item under its name (`subtree[PE]`) when it has a well-formed one. */
function named(f: Field): Field {
  const keys = mapFields(f, NODE_KEYS);
  const nameField = child(f, keys, 'name');
  return isPresent(nameField) ? namedItem(f, splitName(nameField).base) : f;
}

/** The first `technology` attribute from the root down the subtree chain (informational). */
function technologyOf(node: Field): string | undefined {
  const keys = mapFields(node, NODE_KEYS);
  const attrs = child(node, keys, 'attributes');
  const tech = isPresent(attrs) ? mapFields(attrs).get('technology') : undefined;
  if (tech && isPresent(tech)) return String(scalarValue(tech));
  const sub = optionalSeq(child(node, keys, 'subtree'))[0];
  return sub ? technologyOf(sub) : undefined;
}

function flattenArchitecture(arch: Field): FlatComponent[] {
  const keys = mapFields(arch, ['version', 'subtree', 'local', 'name', 'attributes', 'description']);
  if (!isPresent(child(arch, keys, 'subtree')) && !isPresent(child(arch, keys, 'local'))) {
    fail(arch, 'unsupported', 'only the Timeloop v0.3 tree form (`subtree` / `local`) is supported');
  }
  const out: FlatComponent[] = [];
  flatten(arch, 1, '', out);
  return out;
}

// ---------------------------------------------------------------- attributes

/**
 * Attributes the model reads, with the spellings Timeloop reads, in its order of precedence
 * (storage levels; the arithmetic level reads `instances`, `meshX`, `meshY` and `word-bits` /
 * `datawidth`).
 */
const MODEL_ATTRIBUTES = {
  wordBits: ['word-bits', 'word_width', 'datawidth'],
  width: ['width', 'memory_width', 'data_storage_width'],
  blockSize: ['block-size', 'block_size', 'n_words'],
  entries: ['entries'],
  depth: ['depth', 'memory_depth', 'data_storage_depth'],
  sizeKB: ['sizeKB'],
  readBandwidth: ['read_bandwidth'],
  writeBandwidth: ['write_bandwidth'],
  sharedBandwidth: ['shared_bandwidth'],
  multipleBuffering: ['multiple-buffering'],
  minUtilization: ['min-utilization'],
  clusterSize: ['cluster-size'],
  metadataWordBits: ['metadata_datawidth', 'metadata_word_bits'],
  metadataStorageWidth: ['metadata_storage_width'],
  metadataStorageDepth: ['metadata_storage_depth'],
  decompressionSupported: ['decompression_supported'],
  compressionSupported: ['compression_supported'],
  instances: ['instances'],
  meshX: ['meshX'],
  meshY: ['meshY'],
  technology: ['technology'],
  accessEnergy: ['vector-access-energy'],
  computeEnergy: ['energy'],
  networkType: ['network-type'],
  networkWordBits: ['network-word-bits'],
  routerEnergy: ['router-energy'],
  wireEnergy: ['wire-energy'],
  tileWidth: ['tile-width'],
  energyPerHop: ['energy-per-hop'],
} as const;

/** Attributes that name user-defined networks (a network component class), which are not modelled. */
const USER_NETWORK_ATTRIBUTES = ['network_read', 'network_fill', 'network_drain', 'network_update', 'network_operand', 'network_result'];
type ModelAttribute = keyof typeof MODEL_ATTRIBUTES;

/** Timeloop's word size where a component gives none (bits). */
const DEFAULT_WORD_BITS = 16;

/**
 * Attributes used by energy/area estimation (Accelergy plug-ins), not by this model. Timeloop reads
 * the bank and port counts only for its built-in energy estimates, which ignore them.
 */
const ESTIMATION_ATTRIBUTES = new Set([
  'n_banks',
  'num-banks',
  'n_ports',
  'num-ports',
  'n_rdwr_ports',
  'n_rd_ports',
  'n_wr_ports',
  'num_banks',
  'latency',
  'avg_sparsity',
  'ag_datawidth',
  'metadata_block_size',
  'metadata_counter_width',
  'metadata_storage_block_size',
  'type',
  'voltage',
  'global_cycle_seconds',
  'cycle_time',
  'num_pipeline_stages',
  'adder_width',
  'multiplier_width',
]);

/** The attribute under the first spelling Timeloop finds; several spellings must agree. */
function lookup(c: FlatComponent, attr: ModelAttribute): Field | undefined {
  const found = MODEL_ATTRIBUTES[attr].map((k) => c.attributes.get(k)).filter((f): f is Field => f !== undefined && isPresent(f));
  // Object.is: a lone `.nan` equals itself here and is refused as not a number where it is read.
  const differing = found.find((f) => !Object.is(scalarValue(f), scalarValue(found[0])));
  if (differing) fail(differing, 'value', `attribute '${attr}' given as ${MODEL_ATTRIBUTES[attr].filter((k) => c.attributes.has(k)).join(' and ')} with different values`);
  return found[0];
}

function int(c: FlatComponent, attr: ModelAttribute, min: number, max = MAX_SPEC_INTEGER): number | undefined {
  const f = lookup(c, attr);
  return f ? integerField(f, { min, max }) : undefined;
}

/** A boolean attribute; false when absent (Timeloop's default). */
function flag(c: FlatComponent, attr: ModelAttribute): boolean {
  const f = lookup(c, attr);
  return f ? booleanValue(f) : false;
}

function positive(c: FlatComponent, attr: ModelAttribute): number | null {
  const f = lookup(c, attr);
  if (!f) return null;
  const v = finiteNumberField(f, { min: -Infinity });
  if (v <= 0) fail(f, 'value', `expected a positive number, found ${v}`);
  return v;
}

function nonNegative(f: Field): number {
  const v = finiteNumberField(f, { min: -Infinity });
  if (v < 0) fail(f, 'value', `expected a number >= 0, found ${v}`);
  return v;
}

const READ_ATTRIBUTES: readonly string[] = Object.values(MODEL_ATTRIBUTES).flat();

/** Attributes neither read nor known to estimation nor declared by the class go through unknownKey. */
function checkAttributes(c: FlatComponent, declared: ReadonlySet<string>): void {
  for (const [key, f] of c.attributes) {
    if (READ_ATTRIBUTES.includes(key) || ESTIMATION_ATTRIBUTES.has(key) || declared.has(key)) continue;
    unknownKey({ ...f, node: f.key ?? f.anchor ?? f.node }, key, READ_ATTRIBUTES, {
      what: 'attribute',
      strictReason: ` of ${c.name} (not read by the model, not declared by class '${c.className}')`,
    });
  }
}

// ---------------------------------------------------------------- classification

/**
 * Timeloop classifies a component by substrings of its `class` (case-sensitive; `subclass` is not
 * read): storage first, then arithmetic, then network; it ignores any other class.
 */
const STORAGE_CLASSES = ['DRAM', 'SRAM', 'regfile', 'smartbuffer', 'storage'];
const ARITHMETIC_CLASSES = ['mac', 'compute'];
const NETWORK_CLASSES = ['XY_NoC', 'Legacy', 'ReductionTree', 'SimpleMulticast'];

type ComponentKind = 'storage' | 'arithmetic' | 'network' | 'other';

function componentKind(c: FlatComponent): ComponentKind {
  const has = (names: string[]): boolean => names.some((n) => c.className.includes(n));
  if (has(STORAGE_CLASSES)) return 'storage';
  if (has(ARITHMETIC_CLASSES)) return 'arithmetic';
  if (has(NETWORK_CLASSES)) return 'network';
  return 'other';
}

// ---------------------------------------------------------------- layout

interface Layout {
  instances: number;
  meshX: number;
  meshY: number;
}

/**
 * Instances and mesh as Timeloop resolves them: an `instances` attribute replaces the tree's
 * count; meshX and meshY given must multiply to it; one of them gives the other; neither lays the
 * instances out along X (meshX = instances, meshY = 1).
 */
function layout(c: FlatComponent): Layout {
  const instances = int(c, 'instances', 1) ?? c.treeInstances;
  const xf = lookup(c, 'meshX');
  const yf = lookup(c, 'meshY');
  const x = xf ? integerField(xf, { min: 1 }) : undefined;
  const y = yf ? integerField(yf, { min: 1 }) : undefined;
  if (x !== undefined && y !== undefined) {
    if (x * y !== instances) fail(yf!, 'value', `meshX ${x} x meshY ${y} != ${instances} instances of ${c.name}`);
    return { instances, meshX: x, meshY: y };
  }
  if (x !== undefined || y !== undefined) {
    const given = (x ?? y)!;
    if (instances % given !== 0) fail((xf ?? yf)!, 'value', `${instances} instances of ${c.name} do not form a mesh with mesh${x !== undefined ? 'X' : 'Y'} = ${given}`);
    return x !== undefined ? { instances, meshX: x, meshY: instances / x } : { instances, meshX: instances / y!, meshY: y! };
  }
  return { instances, meshX: instances, meshY: 1 };
}

// ---------------------------------------------------------------- levels

function wordBitsOf(c: FlatComponent): number {
  return int(c, 'wordBits', 1) ?? DEFAULT_WORD_BITS;
}

/**
 * Block and cluster size as Timeloop derives them: block size defaults to 1; a `width` must be a
 * multiple of word bits x block size and fixes whichever of block and cluster size is not given
 * (block size when neither is).
 */
function blockAndCluster(c: FlatComponent, wordBits: number): { blockSize: number; clusterSize: number } {
  const block = int(c, 'blockSize', 1);
  const cluster = int(c, 'clusterSize', 1);
  const widthField = lookup(c, 'width');
  if (!widthField) return { blockSize: block ?? 1, clusterSize: cluster ?? 1 };
  // A width of 0 stores nothing (Timeloop refuses it too); metadata_storage_width 0 means none.
  const width = integerField(widthField, { min: 1 });
  if (width % (wordBits * (block ?? 1)) !== 0) {
    fail(widthField, 'value', `width ${width} is not a multiple of block size ${block ?? 1} x ${wordBits} word bits`);
  }
  if (block !== undefined && cluster !== undefined) {
    if (block * wordBits * cluster !== width) fail(widthField, 'value', `block size ${block} x word bits ${wordBits} x cluster size ${cluster} != width ${width}`);
    return { blockSize: block, clusterSize: cluster };
  }
  if (cluster !== undefined) return { blockSize: width / cluster / wordBits, clusterSize: cluster };
  if (block !== undefined) return { blockSize: block, clusterSize: width / (wordBits * block) };
  return { blockSize: width / wordBits, clusterSize: 1 };
}

/** Capacity in words: `entries`, else depth x block size, else `sizeKB`; none given: unbounded. */
function sizeOf(c: FlatComponent, wordBits: number, blockSize: number): number | null {
  // Capacities are counts themselves: up to 2^53 - 1 words, depth x block size included.
  const entries = int(c, 'entries', 0, MAX_EXACT_COUNT);
  const depth = int(c, 'depth', 0, MAX_EXACT_COUNT);
  if (depth !== undefined && depth * blockSize > MAX_EXACT_COUNT) {
    fail(lookup(c, 'depth')!, 'value', `depth ${depth} x block size ${blockSize} exceeds the largest capacity the model computes exactly with (2^53 - 1 words)`);
  }
  if (entries !== undefined) {
    if (depth !== undefined && entries !== depth * blockSize) fail(lookup(c, 'entries')!, 'value', `entries ${entries} != depth ${depth} x block size ${blockSize}`);
    return entries;
  }
  if (depth !== undefined) return depth * blockSize;
  const kb = int(c, 'sizeKB', 0);
  return kb !== undefined ? Math.floor((kb * 1024 * 8) / wordBits) : null;
}

/** DRAM when the class names DRAM (case-sensitive) or `technology` is `DRAM`, as in Timeloop. */
function technologyOfLevel(c: FlatComponent): 'DRAM' | 'SRAM' {
  const tech = lookup(c, 'technology');
  return c.className.includes('DRAM') || (tech !== undefined && scalarValue(tech) === 'DRAM') ? 'DRAM' : 'SRAM';
}

/** The Legacy network below a storage level, from the level's own attributes (as Timeloop reads them). */
function legacyNetwork(c: FlatComponent, levelWordBits: number): LegacyNetworkSpec {
  const typeField = lookup(c, 'networkType');
  let subtype: LegacyNetworkSpec['subtype'] = '';
  if (typeField) {
    const t = stringValue(typeField);
    if (t === 'M:N') fail(typeField, 'unsupported', `network-type M:N (distributed multicast) is not modelled`);
    if (t !== '1:1' && t !== '1:N') fail(typeField, 'value', `unknown network-type '${t}' (Timeloop reads 1:1, 1:N or M:N)`);
    subtype = t === '1:1' ? '1_1' : '1_N';
  }
  const optional = (attr: ModelAttribute): number | null => {
    const f = lookup(c, attr);
    return f ? nonNegative(f) : null;
  };
  return {
    subtype,
    wordBits: int(c, 'networkWordBits', 1) ?? levelWordBits,
    routerEnergy: optional('routerEnergy'),
    wireEnergy: optional('wireEnergy'),
    tileWidth: optional('tileWidth'),
    energyPerHop: optional('energyPerHop'),
  };
}

function storageLevel(c: FlatComponent): StorageLevelSpec {
  const wordBits = wordBitsOf(c);
  const { blockSize, clusterSize } = blockAndCluster(c, wordBits);
  const technology = technologyOfLevel(c);
  if (technology === 'DRAM' && clusterSize !== 1) fail(lookup(c, 'clusterSize') ?? lookup(c, 'width') ?? c.field, 'value', `a DRAM level has cluster size 1, found ${clusterSize}`);
  const { instances, meshX, meshY } = layout(c);
  const metadataDepth = lookup(c, 'metadataStorageDepth');
  return {
    name: c.name,
    className: c.className,
    subclass: c.subclass,
    technology,
    instances,
    meshX,
    meshY,
    wordBits,
    blockSize,
    clusterSize,
    size: sizeOf(c, wordBits, blockSize),
    readBandwidth: positive(c, 'readBandwidth'),
    writeBandwidth: positive(c, 'writeBandwidth'),
    sharedBandwidth: positive(c, 'sharedBandwidth'),
    multipleBuffering: positive(c, 'multipleBuffering') ?? 1,
    minUtilization: lookup(c, 'minUtilization') ? finiteNumberField(lookup(c, 'minUtilization')!, { max: 1 }) : 0,
    metadataWordBits: int(c, 'metadataWordBits', 0) ?? 0,
    metadataStorageWidth: int(c, 'metadataStorageWidth', 0) ?? 0,
    metadataStorageDepth: metadataDepth ? integerField(metadataDepth, { min: 0, max: MAX_EXACT_COUNT }) : null,
    decompressionSupported: flag(c, 'decompressionSupported'),
    compressionSupported: flag(c, 'compressionSupported'),
    addrGenBits: null,
    ...(lookup(c, 'accessEnergy') ? { accessEnergyOverride: nonNegative(lookup(c, 'accessEnergy')!) } : {}),
    network: legacyNetwork(c, wordBits),
    attributes: Object.fromEntries([...c.attributes].map(([k, f]) => [k, isPresent(f) ? scalarValue(f) : null])),
  };
}

function arithmeticLevel(c: FlatComponent): ArithmeticSpec {
  const { instances, meshX, meshY } = layout(c);
  const energy = lookup(c, 'computeEnergy');
  return { name: c.name, instances, meshX, meshY, wordBits: wordBitsOf(c), ...(energy ? { energyOverride: nonNegative(energy) } : {}) };
}

export interface ParsedArchitecture {
  architecture: Architecture;
  components: FlatComponent[];
}

export function parseArchitecture(arch: Field, declaredAttributes: ReadonlyMap<string, ReadonlySet<string>>): ParsedArchitecture {
  const components = flattenArchitecture(arch);
  const seen = new Map<string, FlatComponent>();
  for (const c of components) {
    if (seen.has(c.name)) fail(c.field, 'schema', `component name '${c.name}' used twice (levels are named uniquely)`);
    seen.set(c.name, c);
    const kind = componentKind(c);
    if (kind === 'network') fail(c.field, 'unsupported', `network component ${c.name} (class '${c.className}'): only the networks Timeloop infers between levels are modelled`);
    if (kind === 'other') {
      fail(c.field, 'unsupported', `component class '${c.className}' of ${c.name} names no storage (${STORAGE_CLASSES.join(', ')}) or arithmetic (${ARITHMETIC_CLASSES.join(', ')}) class; Timeloop would ignore the component`);
    }
    const userNetwork = USER_NETWORK_ATTRIBUTES.find((k) => c.attributes.has(k));
    if (userNetwork) fail(c.attributes.get(userNetwork)!, 'unsupported', `${userNetwork}: user-defined networks are not modelled (only the Legacy network Timeloop infers between levels)`);
    const declared = new Set([...(declaredAttributes.get(c.className) ?? []), ...(c.subclass ? (declaredAttributes.get(c.subclass) ?? []) : [])]);
    checkAttributes(c, declared);
  }
  const arithmetic = components.filter((c) => componentKind(c) === 'arithmetic');
  if (arithmetic.length !== 1) {
    fail(arithmetic[1]?.field ?? arch, 'unsupported', `expected exactly one arithmetic component, found ${arithmetic.length}`);
  }
  // Timeloop makes the arithmetic component level 0 wherever it sits in its `local` list; the
  // storage levels keep their tree order (outermost first).
  const storageOuterFirst = components.filter((c) => componentKind(c) === 'storage');
  if (storageOuterFirst.length === 0) fail(arch, 'schema', 'the architecture has no storage level');
  const chain = [...storageOuterFirst, arithmetic[0]];
  const layouts = chain.map(layout);
  // Each level's instances must divide evenly among the inner level's (integral fanout) ...
  for (let i = 1; i < chain.length; i++) {
    if (layouts[i].instances % layouts[i - 1].instances !== 0) {
      fail(lookup(chain[i], 'instances') ?? chain[i].field, 'value', `${layouts[i].instances} instances of ${chain[i].name} do not divide among ${layouts[i - 1].instances} of ${chain[i - 1].name}`);
    }
  }
  // ... and lay out evenly under them: the inner mesh is a multiple of the outer along X and Y.
  for (let i = 1; i < chain.length; i++) {
    for (const axis of ['X', 'Y'] as const) {
      const inner = layouts[i][`mesh${axis}`];
      const outer = layouts[i - 1][`mesh${axis}`];
      if (inner % outer !== 0) {
        fail(lookup(chain[i], `mesh${axis}`) ?? chain[i].field, 'value', `${chain[i].name} mesh ${axis} (${inner}) is not a multiple of ${chain[i - 1].name} mesh ${axis} (${outer})`);
      }
    }
  }
  return {
    architecture: {
      storage: storageOuterFirst.map(storageLevel).reverse(),
      arithmetic: arithmeticLevel(arithmetic[0]),
      technology: technologyOf(arch),
    },
    components,
  };
}
