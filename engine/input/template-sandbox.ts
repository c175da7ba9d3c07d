/**
 * Spec templates are untrusted input, and nunjucks is not a sandbox: any value's `constructor`
 * leads to `Function`. So a template is parsed, its whole syntax tree checked against a whitelist
 * (variables, literals, operators, if/for/set, macros defined in the same file, a few filters and
 * tests, `range`) before anything runs, and the code nunjucks compiles from that same tree runs
 * with a guarded runtime: property lookups only reach a template value's own keys (list indices,
 * dict keys), only macros of the file and `range` can be called, and loop iterations plus calls
 * and the output size are bounded. No include/import/extends: nothing in a template reads a file.
 * Why each rule exists: docs/untrusted-input.md §1.
 */
import { createRequire } from 'node:module';
import { SparsegaugeError } from '../errors.ts';
import { nunjucks } from './nunjucks.ts';
import { children as childNodes, isNode, undefinedVariablesIn, type TemplateNode } from './template-variables.ts';

/** Loop iterations plus macro calls per file; a spec needs hundreds, 10⁶ takes well under a second. */
export const MAX_TEMPLATE_STEPS = 1_000_000;
/** Characters of rendered text (and of any one string value); the spec file cap. */
export const MAX_TEMPLATE_OUTPUT = 16 * 1024 * 1024;
/**
 * Characters (and list elements) read by the operations whose cost grows with their operands:
 * filters, tests, `in`, comparisons, arithmetic, keys looked up, output. Steps alone do not bound
 * time: one step may scan a 16 Mi string. A spec needs well under 10⁶; 2^27 takes about a second.
 */
export const MAX_TEMPLATE_WORK = 2 ** 27;

type Fn = (...args: unknown[]) => unknown;
interface NunjucksParts {
  filters: Record<string, Fn>;
  tests: Record<string, Fn>;
  runtime: Record<string, unknown> & { Frame: new () => { topLevel: boolean; lookup(name: string): unknown } };
  parser: { parse(src: string): TemplateNode };
  Compiler: new (name?: string, throwOnUndefined?: boolean) => SandboxCompiler;
}
let parts: NunjucksParts | undefined;
/** nunjucks' parser, compiler, runtime, filters and tests, loaded on first use (see nunjucks.ts). */
function nunjucksParts(): NunjucksParts {
  if (parts) return parts;
  const require = createRequire(import.meta.url);
  const n = nunjucks() as unknown as Pick<NunjucksParts, 'runtime' | 'parser'> & { compiler: { Compiler: NunjucksParts['Compiler'] } };
  parts = { filters: require('nunjucks/src/filters.js'), tests: require('nunjucks/src/tests.js'), runtime: n.runtime, parser: n.parser, Compiler: n.compiler.Compiler };
  return parts;
}

type CompileNode = (this: SandboxCompiler, node: TemplateNode, frame: unknown) => void;
interface SandboxCompiler {
  compile(node: TemplateNode, frame?: unknown): void;
  getCode(): string;
  _emit(code: string): void;
  _emitLine(code: string): void;
  _compileExpression(node: TemplateNode, frame: unknown): void;
  compileAdd: CompileNode;
  compileConcat: CompileNode;
  compileLookupVal: CompileNode;
  compileFor: CompileNode;
  compileFilter: CompileNode;
  compileIn: CompileNode;
  compileCompare: CompileNode;
  compileFloorDiv: CompileNode;
  compilePow: CompileNode;
  compileNeg: CompileNode;
  compilePos: CompileNode;
  _binOpEmitter(node: TemplateNode, frame: unknown, op: string): void;
  _compileAggregate(node: TemplateNode, frame: unknown): void;
}

const FILTERS = new Set(['default', 'd', 'int', 'float', 'round', 'abs', 'length', 'join', 'string', 'lower', 'upper', 'trim', 'first', 'last']);
/** Filters whose further arguments would reach into values (`join(sep, attribute)`). */
const MAX_FILTER_ARGS: Readonly<Record<string, number>> = { join: 1 };
const TESTS = new Set(['defined', 'undefined', 'none', 'null', 'number', 'string', 'odd', 'even', 'divisibleby', 'eq', 'equalto', 'ne', 'lt', 'gt', 'le', 'ge', 'truthy', 'falsy']);
const GLOBALS = new Set(['range']);
/** nunjucks names that reach its internals or other templates. */
const NOT_ALLOWED_NAMES = new Set(['cycler', 'joiner', 'caller', 'super']);

/** Names that are JavaScript object machinery (fixed when loaded): never a template name, key or attribute. */
const RESERVED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype']);
export function isReservedName(name: string): boolean {
  return RESERVED_NAMES.has(name);
}

const TAG_OF: Readonly<Record<string, string>> = {
  Include: 'include',
  Import: 'import',
  FromImport: 'from … import',
  Extends: 'extends',
  Block: 'block',
  Super: 'super',
  Caller: 'call',
  CallExtension: 'extension tag',
  CallExtensionAsync: 'extension tag',
  FilterAsync: 'async filter',
  IfAsync: 'ifAsync',
  AsyncEach: 'asyncEach',
  AsyncAll: 'asyncAll',
  Switch: 'switch',
};

/** Node types that are allowed, and which of their fields are sub-trees to check. */
const ALLOWED = new Set([
  'Root', 'NodeList', 'Output', 'TemplateData', 'Symbol', 'Literal', 'Array', 'Group', 'Dict', 'Pair', 'KeywordArgs',
  'LookupVal', 'InlineIf', 'If', 'For', 'Set', 'Capture', 'Macro', 'FunCall', 'Filter', 'Is', 'Compare', 'CompareOperand',
  'In', 'And', 'Or', 'Not', 'Neg', 'Pos', 'Add', 'Sub', 'Mul', 'Div', 'FloorDiv', 'Mod', 'Pow', 'Concat',
]);

class Refusal {
  /** `at`: the node itself, or its nearest enclosing node with a position (nunjucks gives `case` none). */
  constructor(readonly node: TemplateNode, readonly field: string, readonly message: string, public at?: TemplateNode) {}
}

const hasPosition = (n: TemplateNode | undefined): n is TemplateNode => typeof n?.lineno === 'number' && typeof n.colno === 'number';

function symbolName(n: unknown): string | undefined {
  return isNode(n) && n.typename === 'Symbol' ? String(n.value) : undefined;
}

function macroNames(root: TemplateNode): Set<string> {
  const names = new Set<string>();
  const visit = (n: TemplateNode): void => {
    if (n.typename === 'Macro') {
      const name = symbolName(n.name);
      if (name) names.add(name);
    }
    childNodes(n).forEach(visit);
  };
  visit(root);
  return names;
}

/** The first construct outside the whitelist, in tree order, or undefined. */
function firstRefusal(root: TemplateNode): Refusal | undefined {
  const macros = macroNames(root);
  const positioned: TemplateNode[] = [];
  const check = (n: TemplateNode): void => {
    if (hasPosition(n)) positioned.push(n);
    try {
      checkNode(n);
    } catch (e) {
      if (e instanceof Refusal && !hasPosition(e.at)) e.at = hasPosition(e.node) ? e.node : positioned.at(-1);
      throw e;
    } finally {
      if (positioned.at(-1) === n) positioned.pop();
    }
  };
  const checkNode = (n: TemplateNode): void => {
    // children first: in `"".constructor.constructor()()` the lookup is named, not the outer call
    if (n.typename !== 'Filter' && n.typename !== 'Is') childNodes(n).forEach(check);
    if (!ALLOWED.has(n.typename)) {
      const tag = TAG_OF[n.typename] ?? n.typename;
      const why = n.typename === 'Include' || n.typename === 'Import' || n.typename === 'FromImport' || n.typename === 'Extends'
        ? 'spec templates may not read other files'
        : 'not allowed in spec templates';
      throw new Refusal(n, tag, `'${tag}': ${why}`);
    }
    switch (n.typename) {
      case 'Symbol': {
        const name = String(n.value);
        if (isReservedName(name) || NOT_ALLOWED_NAMES.has(name)) throw new Refusal(n, name, `the name '${name}' is not allowed in spec templates`);
        break;
      }
      case 'Pair': {
        const key = isNode(n.key) && n.key.typename === 'Literal' ? String(n.key.value) : undefined;
        if (key !== undefined && isReservedName(key)) throw new Refusal(n.key as TemplateNode, key, `the key '${key}' is not allowed in spec templates`);
        break;
      }
      case 'LookupVal': {
        const key = isNode(n.val) && n.val.typename === 'Literal' ? n.val.value : undefined;
        if (typeof key === 'string' && isReservedName(key)) throw new Refusal(n.val as TemplateNode, key, `looking up '${key}' is not allowed in spec templates (only keys of dicts and indices of lists)`);
        break;
      }
      case 'FunCall': {
        const name = symbolName(n.name);
        if (name === undefined) {
          const what = isNode(n.name) && n.name.typename === 'LookupVal' && isNode(n.name.val) ? String(n.name.val.value) : n.name && isNode(n.name) ? n.name.typename : '?';
          throw new Refusal(n, what, `calling '${what}' is not allowed in spec templates (no method calls; only range() and macros of the same file)`);
        }
        if (!GLOBALS.has(name) && !macros.has(name)) throw new Refusal(n, name, `calling '${name}' is not allowed in spec templates (only range() and macros of the same file)`);
        break;
      }
      case 'Filter': {
        // the filter's name is a Symbol too but not a read: check only its arguments
        if (isNode(n.args)) check(n.args);
        const name = symbolName(n.name) ?? '?';
        if (!FILTERS.has(name)) throw new Refusal(n, name, `unknown or disallowed filter '${name}' (allowed: ${[...FILTERS].join(', ')})`);
        const args = isNode(n.args) ? childNodes(n.args).length - 1 : 0;
        const max = MAX_FILTER_ARGS[name];
        if (max !== undefined && args > max) throw new Refusal(n, name, `filter '${name}' takes at most ${max} argument(s) in spec templates`);
        return;
      }
      case 'Is': {
        const test = isNode(n.right) ? n.right : undefined;
        if (isNode(n.left)) check(n.left);
        if (test?.typename === 'FunCall' && isNode(test.args)) check(test.args);
        const name = symbolName(test) ?? symbolName(test?.name) ?? '?';
        if (!TESTS.has(name)) throw new Refusal(test ?? n, name, `unknown or disallowed test '${name}' (allowed: ${[...TESTS].join(', ')})`);
        return;
      }
    }
    childNodes(n).forEach(check);
  };
  try {
    check(root);
  } catch (e) {
    if (e instanceof Refusal) return e;
    throw e;
  }
  return undefined;
}

/** A refusal at run time; the compiled code's catch gives it the position of the node running. */
class SandboxViolation extends Error {
  constructor(message: string, readonly field: string, public lineno?: number, public colno?: number) {
    super(message);
  }
}

const isPlainObject = (v: object): boolean => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object' && v !== null) return isPlainObject(v) ? 'a dict' : 'an object';
  return `a ${typeof v}`;
}

interface Budget {
  steps: number;
  work: number;
}

/** The size an operation on `v` may scan: a string's characters, a list's elements. */
const sizeOf = (v: unknown): number => (typeof v === 'string' || Array.isArray(v) ? v.length : 0);

function charge(budget: Budget, v: unknown, what: string, line?: number, col?: number): void {
  budget.work += 1 + sizeOf(v);
  if (budget.work > MAX_TEMPLATE_WORK) {
    throw new SandboxViolation(`template reads more than ${MAX_TEMPLATE_WORK} characters and list elements in its operations (${what})`, what, line, col);
  }
}

function spend(budget: Budget, n: number, what: string): void {
  budget.steps += n;
  if (budget.steps > MAX_TEMPLATE_STEPS) {
    throw new SandboxViolation(`template runs more than ${MAX_TEMPLATE_STEPS} loop iterations and macro calls (${what})`, what);
  }
}

function boundString<T>(v: T, what: string, line?: number, col?: number): T {
  if (typeof v === 'string' && v.length > MAX_TEMPLATE_OUTPUT) {
    throw new SandboxViolation(`template ${what} is longer than ${MAX_TEMPLATE_OUTPUT} characters`, what, line, col);
  }
  return v;
}

/** nunjucks' `range`, with its length checked against the budget before any list is built. */
function makeRange(budget: Budget): Fn {
  return (...args: unknown[]) => {
    for (const a of args) charge(budget, a, 'range');
    const nums = args.map(Number);
    const [start, stop, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] || 1];
    if (![start, stop, step].every(Number.isFinite)) throw new SandboxViolation(`range(${args.join(', ')}): arguments must be finite numbers`, 'range');
    const count = Math.max(0, Math.ceil((stop - start) / step));
    // checked here so no list is built past the budget; the loop over it spends the steps
    if (budget.steps + count > MAX_TEMPLATE_STEPS) spend(budget, count, 'range');
    const out: number[] = [];
    for (let i = 0; i < count; i++) out.push(start + i * step);
    return out;
  };
}

function guardedRuntime(vars: Map<string, unknown>, budget: Budget): Record<string, unknown> {
  const callable = new WeakSet<object>();
  const range = makeRange(budget);
  callable.add(range);
  const baseRuntime = nunjucksParts().runtime;
  const base = baseRuntime as Record<string, Fn> & typeof baseRuntime;
  return Object.assign(Object.create(baseRuntime) as Record<string, unknown>, {
    memberLookup(obj: unknown, key: unknown, line?: number, col?: number): unknown {
      const refuse = (message: string, field: string) => new SandboxViolation(message, field, line, col);
      if (typeof key !== 'string' && typeof key !== 'number') throw refuse(`a key must be a string or a number, not ${describe(key)}`, String(key));
      charge(budget, key, 'key', line, col);
      const name = String(key);
      if (isReservedName(name)) throw refuse(`looking up '${name}' is not allowed in spec templates`, name);
      if (obj === undefined || obj === null) return undefined;
      if (Array.isArray(obj)) {
        if (typeof key === 'number' && Number.isInteger(key)) return key >= 0 && key < obj.length ? obj[key] : undefined;
        throw refuse(`looking up '${name}' in a list is not allowed in spec templates (only integer indices)`, name);
      }
      if (typeof obj === 'object' && isPlainObject(obj)) return Object.hasOwn(obj, name) ? (obj as Record<string, unknown>)[name] : undefined;
      throw refuse(`looking up '${name}' in ${describe(obj)} is not allowed in spec templates (only keys of dicts and indices of lists)`, name);
    },
    callWrap(fn: unknown, name: string, context: unknown, args: unknown[]): unknown {
      if (typeof fn !== 'function' || !callable.has(fn)) throw new SandboxViolation(`calling '${name}' is not allowed in spec templates (only range() and macros of the same file)`, name);
      spend(budget, 1, name);
      return (fn as Fn).apply(context, args);
    },
    makeMacro(...args: unknown[]): unknown {
      const macro = base.makeMacro(...args) as Fn;
      callable.add(macro);
      return macro;
    },
    contextOrFrameLookup(_context: unknown, frame: { lookup(name: string): unknown }, name: string): unknown {
      const v = frame.lookup(name);
      if (v !== undefined) return v;
      if (vars.has(name)) return vars.get(name);
      return name === 'range' ? range : undefined;
    },
    fromIterator(arr: unknown): unknown {
      const n = Array.isArray(arr) || typeof arr === 'string' ? arr.length : typeof arr === 'object' && arr !== null ? Object.keys(arr).length : 0;
      spend(budget, n, 'for');
      return base.fromIterator(arr);
    },
    suppressValue(val: unknown, autoescape: boolean): unknown {
      if (typeof val === 'function') throw new SandboxViolation('a macro or function cannot be output; call it', 'output');
      charge(budget, val, 'output');
      return boundString(base.suppressValue(val, autoescape), 'output');
    },
    /** An operand of a comparison or of arithmetic (a string is scanned to compare or convert it). */
    sized(v: unknown, line: number, col: number): unknown {
      charge(budget, v, 'operator', line, col);
      return v;
    },
    sandboxIn(key: unknown, container: unknown, line: number, col: number): unknown {
      charge(budget, key, 'in', line, col);
      charge(budget, container, 'in', line, col);
      if (!(typeof container === 'string' || Array.isArray(container) || (typeof container === 'object' && container !== null && isPlainObject(container)))) {
        throw new SandboxViolation(`'in' needs a string, a list or a dict on its right, not ${describe(container)}`, 'in', line, col);
      }
      return base.inOperator(key, container);
    },
    sandboxAdd: (a: unknown, b: unknown, line: number, col: number): unknown => boundString((a as number) + (b as number), 'string', line, col),
    sandboxConcat: (a: unknown, b: unknown, line: number, col: number): unknown => boundString('' + a + b, 'string', line, col),
    handleError(e: unknown, lineno: number, colno: number): unknown {
      if (e instanceof SandboxViolation) {
        e.lineno ??= lineno;
        e.colno ??= colno;
        return e;
      }
      if (e instanceof RangeError) {
        const tooLong = /string length/i.test(e.message);
        const v = new SandboxViolation(tooLong ? `template output is longer than ${MAX_TEMPLATE_OUTPUT} characters` : `template too deep: ${e.message}`, tooLong ? 'output' : 'macro');
        v.lineno = lineno;
        v.colno = colno;
        return v;
      }
      return base.handleError(e, lineno, colno);
    },
  });
}

function guardedEnvironment(budget: Budget): Record<string, unknown> {
  const refuse = (what: string) => () => {
    throw new SandboxViolation(`${what} is not allowed in spec templates`, what);
  };
  return {
    opts: { autoescape: false, throwOnUndefined: true },
    /** A filter call, at its node's position: its operands and result charged, its failure (a filter given a value it cannot take) a refusal there. */
    sandboxFilter(name: string, line: number, col: number, args: unknown[]): unknown {
      const f = FILTERS.has(name) ? nunjucksParts().filters[name]! : refuse(`filter '${name}'`)();
      for (const a of args) {
        charge(budget, a, name, line, col);
        boundString(a, `argument of filter '${name}'`, line, col);
      }
      let result: unknown;
      try {
        result = f(...args);
      } catch (e) {
        if (e instanceof SandboxViolation) throw e;
        throw new SandboxViolation(`filter '${name}' cannot be applied to ${describe(args[0])}`, name, line, col);
      }
      charge(budget, result, name, line, col);
      return boundString(result, `result of filter '${name}'`, line, col);
    },
    getTest: (name: string): Fn => {
      if (!TESTS.has(name)) return refuse(`test '${name}'`)();
      const test = nunjucksParts().tests[name]!;
      return (...args: unknown[]) => {
        for (const a of args) charge(budget, a, `test '${name}'`);
        return test(...args);
      };
    },
    getTemplate: refuse('include'),
    getExtension: refuse('extension'),
  };
}

/** nunjucks' comparison operators as its compiler emits them. */
const COMPARE_OPS: Readonly<Record<string, string>> = { '==': '==', '===': '===', '!=': '!=', '!==': '!==', '<': '<', '>': '>', '<=': '<=', '>=': '>=' };

const at = (n: unknown): string => (isNode(n) ? `${n.lineno}, ${n.colno}` : 'lineno, colno');

/**
 * nunjucks' compiler, with the operations the runtime guards passing the position of their node
 * (its generated code only tracks positions of calls).
 */
function compile(root: TemplateNode): { root: Fn } {
  const c = new (nunjucksParts().Compiler)(undefined, true);
  const binary = (fn: string): CompileNode =>
    function (node, frame) {
      this._emit(`runtime.${fn}(`);
      this.compile(node.left as TemplateNode, frame);
      this._emit(', ');
      this.compile(node.right as TemplateNode, frame);
      this._emit(`, ${at(node)})`);
    };
  c.compileAdd = binary('sandboxAdd');
  c.compileConcat = binary('sandboxConcat');
  c.compileLookupVal = function (node, frame) {
    this._emit('runtime.memberLookup((');
    this._compileExpression(node.target as TemplateNode, frame);
    this._emit('),');
    this._compileExpression(node.val as TemplateNode, frame);
    this._emit(`, ${at(node.val)})`);
  };
  const sized = (c2: SandboxCompiler, node: TemplateNode, frame: unknown, at_: string): void => {
    c2._emit('runtime.sized(');
    c2.compile(node, frame);
    c2._emit(`, ${at_})`);
  };
  const binOp = c._binOpEmitter;
  c._binOpEmitter = function (node, frame, op) {
    if (op.trim() === '||' || op.trim() === '&&') return binOp.call(this, node, frame, op);
    sized(this, node.left as TemplateNode, frame, at(node));
    this._emit(op);
    sized(this, node.right as TemplateNode, frame, at(node));
  };
  const mathCall = (fn: string, op: string): CompileNode =>
    function (node, frame) {
      this._emit(`${fn}(`);
      sized(this, node.left as TemplateNode, frame, at(node));
      this._emit(op);
      sized(this, node.right as TemplateNode, frame, at(node));
      this._emit(')');
    };
  c.compileFloorDiv = mathCall('Math.floor', ' / ');
  c.compilePow = mathCall('Math.pow', ', ');
  const unary = (op: string): CompileNode =>
    function (node, frame) {
      this._emit(op);
      sized(this, node.target as TemplateNode, frame, at(node));
    };
  c.compileNeg = unary('-');
  c.compilePos = unary('+');
  c.compileCompare = function (node, frame) {
    sized(this, node.expr as TemplateNode, frame, at(node));
    for (const op of node.ops as TemplateNode[]) {
      const js = COMPARE_OPS[String(op.type)];
      if (!js) throw new SandboxViolation(`comparison '${String(op.type)}' is not allowed in spec templates`, String(op.type), node.lineno as number, node.colno as number);
      this._emit(` ${js} `);
      sized(this, op.expr as TemplateNode, frame, at(op));
    }
  };
  c.compileIn = binary('sandboxIn');
  c.compileFilter = function (node, frame) {
    this._emit(`env.sandboxFilter(${JSON.stringify(symbolName(node.name))}, ${at(node)}, [`);
    this._compileAggregate(node.args as TemplateNode, frame);
    this._emit('])');
  };
  const compileFor = c.compileFor;
  c.compileFor = function (node, frame) {
    this._emitLine(`lineno = ${node.lineno}; colno = ${node.colno};`);
    compileFor.call(this, node, frame);
  };
  c.compile(root);
  return new Function(c.getCode())() as { root: Fn };
}

/** The 1-based position just past the last character: where a template that ends too early fails. */
function endOf(text: string): { line: number; column: number } {
  const lines = text.split('\n');
  return { line: lines.length, column: lines.at(-1)!.length + 1 };
}

/**
 * nunjucks errors carry `lineno`/`colno`; its parser gives them 1-based, its runtime 0-based. A
 * parser error without a position (a tag, comment or block left open) is at the end of the text.
 */
function toError(file: string, e: unknown, fromParser: boolean, text: string): SparsegaugeError {
  const err = e as { message?: string; lineno?: number; colno?: number; field?: string };
  const raw = String(err.message ?? e);
  const message = raw.replace(/^\(unknown path\)\s*/, '').replace(/\[Line \d+, Column \d+\]\s*/, '').replace(/^(Template render error: )?(\w*Error: )?/, '').replace(/\s+/g, ' ').trim();
  const shift = fromParser || !(e instanceof SandboxViolation) ? 0 : 1;
  const position = typeof err.lineno === 'number' && typeof err.colno === 'number' ? { line: err.lineno + shift, column: err.colno + shift } : fromParser ? endOf(text) : undefined;
  const field = e instanceof SandboxViolation ? e.field : /undefined value: (\S+)/.exec(message)?.[1];
  return new SparsegaugeError('template', message || 'template error', { file, position, field });
}

/**
 * Render `text` with `vars`: parse, refuse anything outside the whitelist and any variable read but
 * never defined (with its position), then run the compiled tree with the guarded runtime.
 */
export function renderTemplate(file: string, text: string, vars: Readonly<Record<string, string>>): string {
  let root: TemplateNode;
  try {
    root = nunjucksParts().parser.parse(text);
  } catch (e) {
    throw toError(file, e, true, text);
  }
  const refusal = firstRefusal(root);
  if (refusal) {
    const where = refusal.at ?? refusal.node;
    throw new SparsegaugeError('template', refusal.message, {
      file,
      position: hasPosition(where) ? { line: where.lineno + 1, column: where.colno + 1 } : undefined,
      field: refusal.field,
    });
  }
  const given = Object.keys(vars);
  const missing = undefinedVariablesIn(root, given)[0];
  if (missing) {
    throw new SparsegaugeError('template', `undefined template variable '${missing.name}' (${given.length ? `given: ${given.join(', ')}` : 'no --var given'})`, {
      file,
      position: { line: missing.line, column: missing.column },
      field: missing.name,
    });
  }
  const budget: Budget = { steps: 0, work: 0 };
  const scope = new Map<string, unknown>(Object.entries(vars));
  const runtime = guardedRuntime(scope, budget);
  const context = {
    setVariable: (name: string, value: unknown) => void scope.set(name, value),
    addExport: () => undefined,
    getVariables: () => Object.fromEntries(scope),
  };
  const frame = new (nunjucksParts().runtime.Frame)();
  frame.topLevel = true;
  let output: unknown;
  let failure: unknown;
  try {
    compile(root).root(guardedEnvironment(budget), context, frame, runtime, (err: unknown, res: unknown) => {
      failure = err;
      output = res;
    });
  } catch (e) {
    failure = e;
  }
  if (failure) throw toError(file, failure, false, text);
  const rendered = String(output ?? '');
  if (rendered.length > MAX_TEMPLATE_OUTPUT) throw new SparsegaugeError('template', `template output is longer than ${MAX_TEMPLATE_OUTPUT} characters`, { file, field: 'output' });
  return rendered;
}
