/**
 * `architecture` (Timeloop v0.3 tree: nested `subtree`s with `local` components, `name[a..b]`
 * instance ranges, attributes inherited from enclosing subtrees) → storage levels innermost first
 * and the arithmetic level. Attributes the model reads are type-checked; any other attribute must
 * be a known energy-estimation attribute or be declared by the component's compound class, so a
 * misspelt attribute is an error rather than a silently ignored default.
 */
import type { Architecture, ArithmeticSpec, StorageLevelSpec } from './types.ts';
import {
  booleanValue,
  child,
  fail,
  integerValue,
  isPresent,
  mapFields,
  namedItem,
  numberValue,
  optionalSeq,
  required,
  scalarValue,
  stringValue,
  type Field,
} from './field.ts';

/** A component after flattening the tree. */
export interface FlatComponent {
  field: Field;
  name: string;
  /** dotted path of names with ranges, as Accelergy names ERT/ART tables */
  qualifiedName: string;
  className: string;
  subclass?: string;
  instances: number;
  attributes: Map<string, Field>;
}

const RANGE = /^(.*)\[(\d+)\.\.(\d+)\]$/;

function splitName(f: Field): { base: string; count: number } {
  const raw = stringValue(f);
  const m = RANGE.exec(raw);
  if (!m) {
    if (/[[\]]/.test(raw)) fail(f, 'schema', `malformed instance range in '${raw}' (expected name[first..last])`);
    return { base: raw, count: 1 };
  }
  const first = Number(m[2]);
  const last = Number(m[3]);
  if (last < first) fail(f, 'value', `instance range ${first}..${last} is empty`);
  return { base: m[1], count: last - first + 1 };
}

function flatten(node: Field, instances: number, prefix: string, inherited: Map<string, Field>, out: FlatComponent[]): void {
  const keys = mapFields(node, ['name', 'attributes', 'local', 'subtree', 'version', 'description']);
  const nameField = child(node, keys, 'name');
  const { count } = isPresent(nameField) ? splitName(nameField) : { count: 1 };
  const qualified = isPresent(nameField) ? (prefix ? `${prefix}.${stringValue(nameField)}` : stringValue(nameField)) : prefix;
  const attrsField = child(node, keys, 'attributes');
  const attributes = new Map([...inherited, ...(isPresent(attrsField) ? mapFields(attrsField) : new Map<string, Field>())]);
  const n = instances * count;
  for (const item of optionalSeq(child(node, keys, 'local'))) {
    const allowed = ['name', 'class', 'subclass', 'attributes', 'description', 'required_actions'];
    // Read the name first, then re-read the item under its name (`local[MACs]`) so errors name it.
    const { base, count: localCount } = splitName(required(item, mapFields(item, allowed), 'name'));
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
      instances: n * localCount,
      attributes: new Map([...attributes, ...(isPresent(la) ? mapFields(la) : new Map<string, Field>())]),
    });
  }
  for (const sub of optionalSeq(child(node, keys, 'subtree'))) flatten(named(sub), n, qualified, attributes, out);
}

/** A subtree item under its name (`subtree[PE]`) when it has a well-formed one. */
function named(f: Field): Field {
  const keys = mapFields(f, ['name', 'attributes', 'local', 'subtree', 'version', 'description']);
  const nameField = child(f, keys, 'name');
  return isPresent(nameField) ? namedItem(f, splitName(nameField).base) : f;
}

function flattenArchitecture(arch: Field): FlatComponent[] {
  const keys = mapFields(arch, ['version', 'subtree', 'local', 'name', 'attributes', 'description']);
  if (!isPresent(child(arch, keys, 'subtree')) && !isPresent(child(arch, keys, 'local'))) {
    fail(arch, 'unsupported', 'only the Timeloop v0.3 tree form (`subtree` / `local`) is supported');
  }
  const out: FlatComponent[] = [];
  flatten(arch, 1, '', new Map(), out);
  return out;
}

// ---------------------------------------------------------------- attributes

/** Attributes the model reads, with their accepted spellings (first = canonical). */
const MODEL_ATTRIBUTES = {
  wordBits: ['datawidth', 'word-bits', 'word_bits'],
  width: ['width', 'data_storage_width', 'memory_width'],
  blockSize: ['block_size', 'block-size'],
  depth: ['depth', 'data_storage_depth', 'memory_depth'],
  entries: ['entries', 'size'],
  readBandwidth: ['read_bandwidth', 'read-bandwidth'],
  writeBandwidth: ['write_bandwidth', 'write-bandwidth'],
  sharedBandwidth: ['shared_bandwidth', 'shared-bandwidth'],
  multipleBuffering: ['multiple_buffering', 'multiple-buffering'],
  minUtilization: ['min_utilization', 'min-utilization'],
  numPorts: ['num_ports', 'num-ports'],
  numBanks: ['n_banks', 'num_banks', 'num-banks'],
  clusterSize: ['cluster_size', 'cluster-size'],
  metadataWordBits: ['metadata_datawidth'],
  metadataStorageWidth: ['metadata_storage_width'],
  metadataStorageDepth: ['metadata_storage_depth'],
  decompressionSupported: ['decompression_supported'],
  compressionSupported: ['compression_supported'],
  meshX: ['meshX'],
  meshY: ['meshY'],
  technology: ['technology'],
} as const;
type ModelAttribute = keyof typeof MODEL_ATTRIBUTES;

/** Attributes used by energy/area estimation (Accelergy plug-ins), not by this model. */
const ESTIMATION_ATTRIBUTES = new Set([
  'n_rdwr_ports',
  'n_rd_ports',
  'n_wr_ports',
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

function lookup(c: FlatComponent, attr: ModelAttribute): Field | undefined {
  const found = MODEL_ATTRIBUTES[attr].map((k) => c.attributes.get(k)).filter((f): f is Field => f !== undefined && isPresent(f));
  if (found.length > 1) fail(found[1], 'schema', `attribute '${attr}' given twice (${MODEL_ATTRIBUTES[attr].join(' / ')})`);
  return found[0];
}

function int(c: FlatComponent, attr: ModelAttribute, min: number): number | undefined {
  const f = lookup(c, attr);
  return f ? integerValue(f, min) : undefined;
}

/** A boolean attribute; false when absent (Timeloop's default). */
function flag(c: FlatComponent, attr: ModelAttribute): boolean {
  const f = lookup(c, attr);
  return f ? booleanValue(f) : false;
}

function positive(c: FlatComponent, attr: ModelAttribute): number | null {
  const f = lookup(c, attr);
  if (!f) return null;
  const v = numberValue(f);
  if (v <= 0) fail(f, 'value', `expected a positive number, found ${v}`);
  return v;
}

function checkAttributes(c: FlatComponent, declared: ReadonlySet<string>): void {
  const known = new Set<string>(Object.values(MODEL_ATTRIBUTES).flat());
  for (const [key, f] of c.attributes) {
    if (known.has(key) || ESTIMATION_ATTRIBUTES.has(key) || declared.has(key)) continue;
    fail({ ...f, node: f.anchor ?? f.node }, 'schema', `unknown attribute '${key}' of ${c.name} (not read by the model, not declared by class '${c.className}')`);
  }
}

// ---------------------------------------------------------------- classification

const ARITHMETIC_CLASS = /^(int|fp)?(mac|multiplier|compute)/i;
const STORAGE_CLASS = /dram|sram|regfile|buffer|storage|spad|cache/i;

function isArithmetic(c: FlatComponent): boolean {
  return ARITHMETIC_CLASS.test(c.className) || (c.subclass !== undefined && ARITHMETIC_CLASS.test(c.subclass));
}

function isStorage(c: FlatComponent): boolean {
  return STORAGE_CLASS.test(c.className) || (c.subclass !== undefined && STORAGE_CLASS.test(c.subclass));
}

function mesh(c: FlatComponent): { meshX: number; meshY: number } {
  const xf = lookup(c, 'meshX');
  const yf = lookup(c, 'meshY');
  if (!xf && !yf) {
    if (c.instances === 1) return { meshX: 1, meshY: 1 };
    fail(c.field, 'schema', `${c.name} has ${c.instances} instances: give attribute meshX to lay them out`);
  }
  const meshX = xf ? integerValue(xf, 1) : c.instances / integerValue(yf!, 1);
  if (!Number.isInteger(meshX) || c.instances % meshX !== 0) fail(xf ?? yf!, 'value', `${c.instances} instances of ${c.name} do not form a mesh with meshX = ${meshX}`);
  const meshY = c.instances / meshX;
  if (yf && integerValue(yf, 1) !== meshY) fail(yf, 'value', `meshX ${meshX} x meshY ${integerValue(yf, 1)} != ${c.instances} instances`);
  return { meshX, meshY };
}

function wordBitsOf(c: FlatComponent): number {
  const v = int(c, 'wordBits', 1);
  if (v === undefined) fail(c.field, 'schema', `${c.name}: missing required attribute 'datawidth' (bits per word)`);
  return v;
}

function storageLevel(c: FlatComponent): StorageLevelSpec {
  const width = int(c, 'width', 0);
  const givenBlock = int(c, 'blockSize', 1);
  const givenWordBits = int(c, 'wordBits', 1);
  // Word bits may be implied by width / block size (Timeloop derives it the same way).
  if (givenWordBits === undefined && (width === undefined || givenBlock === undefined)) {
    fail(c.field, 'schema', `${c.name}: missing required attribute 'datawidth' (bits per word), or 'width' with 'block_size'`);
  }
  const wordBits = givenWordBits ?? width! / givenBlock!;
  if (!Number.isInteger(wordBits)) fail(lookup(c, 'width')!, 'value', `width ${width} is not a multiple of block size ${givenBlock}`);
  const blockSize = givenBlock ?? (width !== undefined ? Math.max(1, Math.floor(width / wordBits)) : 1);
  const technology = /dram/i.test(c.className) ? 'DRAM' : 'SRAM';
  const depth = int(c, 'depth', 0);
  const entries = int(c, 'entries', 0);
  if (depth !== undefined && entries !== undefined && entries !== depth * blockSize) {
    fail(lookup(c, 'entries')!, 'value', `entries ${entries} != depth ${depth} x block size ${blockSize}`);
  }
  const size = technology === 'DRAM' ? null : depth !== undefined ? depth * blockSize : (entries ?? null);
  const { meshX, meshY } = mesh(c);
  const metadataDepth = lookup(c, 'metadataStorageDepth');
  return {
    name: c.name,
    className: c.className,
    subclass: c.subclass,
    technology,
    instances: c.instances,
    meshX,
    meshY,
    wordBits,
    blockSize,
    clusterSize: int(c, 'clusterSize', 1) ?? 1,
    size,
    readBandwidth: positive(c, 'readBandwidth'),
    writeBandwidth: positive(c, 'writeBandwidth'),
    sharedBandwidth: positive(c, 'sharedBandwidth'),
    multipleBuffering: positive(c, 'multipleBuffering') ?? 1,
    minUtilization: lookup(c, 'minUtilization') ? numberValue(lookup(c, 'minUtilization')!) : 0,
    numPorts: int(c, 'numPorts', 1) ?? 2,
    numBanks: int(c, 'numBanks', 1) ?? 1,
    metadataWordBits: int(c, 'metadataWordBits', 0) ?? 0,
    metadataStorageWidth: int(c, 'metadataStorageWidth', 0) ?? 0,
    metadataStorageDepth: metadataDepth ? integerValue(metadataDepth, 0) : null,
    decompressionSupported: flag(c, 'decompressionSupported'),
    compressionSupported: flag(c, 'compressionSupported'),
    addrGenBits: null,
    attributes: Object.fromEntries([...c.attributes].map(([k, f]) => [k, isPresent(f) ? scalarValue(f) : null])),
  };
}

function arithmeticLevel(c: FlatComponent): ArithmeticSpec {
  const { meshX, meshY } = mesh(c);
  return { name: c.name, instances: c.instances, meshX, meshY, wordBits: wordBitsOf(c) };
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
    if (!isArithmetic(c) && !isStorage(c)) {
      fail(c.field, 'unsupported', `component class '${c.className}' of ${c.name} is neither a storage (DRAM, SRAM, regfile, buffer, storage) nor an arithmetic (mac, compute) class`);
    }
    const declared = new Set([...(declaredAttributes.get(c.className) ?? []), ...(c.subclass ? (declaredAttributes.get(c.subclass) ?? []) : [])]);
    checkAttributes(c, declared);
  }
  const arithmetic = components.filter(isArithmetic);
  if (arithmetic.length !== 1) {
    fail(arithmetic[1]?.field ?? arch, 'unsupported', `expected exactly one arithmetic component, found ${arithmetic.length}`);
  }
  if (components[components.length - 1] !== arithmetic[0]) {
    fail(arithmetic[0].field, 'unsupported', `the arithmetic component ${arithmetic[0].name} must be the innermost component`);
  }
  const storageOuterFirst = components.filter((c) => !isArithmetic(c));
  if (storageOuterFirst.length === 0) fail(arch, 'schema', 'the architecture has no storage level');
  // Each level's instances must divide evenly among the inner level's (integral fanout).
  const chain = [...storageOuterFirst, arithmetic[0]];
  for (let i = 1; i < chain.length; i++) {
    if (chain[i].instances % chain[i - 1].instances !== 0) {
      fail(chain[i].field, 'value', `${chain[i].instances} instances of ${chain[i].name} do not divide among ${chain[i - 1].instances} of ${chain[i - 1].name}`);
    }
  }
  // ... and lay out evenly under them: the inner mesh is a multiple of the outer along X and Y.
  const meshes = chain.map(mesh);
  for (let i = 1; i < chain.length; i++) {
    for (const axis of ['X', 'Y'] as const) {
      const inner = meshes[i][`mesh${axis}`];
      const outer = meshes[i - 1][`mesh${axis}`];
      if (inner % outer !== 0) {
        fail(lookup(chain[i], `mesh${axis}`) ?? chain[i].field, 'value', `${chain[i].name} mesh ${axis} (${inner}) is not a multiple of ${chain[i - 1].name} mesh ${axis} (${outer})`);
      }
    }
  }
  const techField = components[0].attributes.get('technology');
  return {
    architecture: {
      storage: storageOuterFirst.map(storageLevel).reverse(),
      arithmetic: arithmeticLevel(arithmetic[0]),
      technology: techField && isPresent(techField) ? String(scalarValue(techField)) : undefined,
    },
    components,
  };
}
