/**
 * ERT and ART (Accelergy's output): tables named by the component's qualified name
 * (`eyeriss_168.PE[0..167].ifmap_spad`). Each table must name a component of the architecture; a
 * component without an ERT table costs Timeloop's built-in estimates (model/builtin-energy.ts), one
 * without an ART table has area 0 (Timeloop's built-in area). An action listed with several argument variants costs the maximum of
 * their energies (Timeloop's rule). compound_components only contribute the attribute names each
 * class declares (used to tell a declared attribute from a typo).
 */
import type { AreaReferenceTable, EnergyReferenceTable } from './types.ts';
import type { FlatComponent } from './architecture.ts';
import { child, fail, isPresent, mapFields, optionalSeq, required, seqFields, stringValue, type Field } from './field.ts';
import { finiteNumberField } from './numbers.ts';
import type { SourcePosition } from '../errors.ts';

type Positions = Record<string, { file: string; position: SourcePosition }>;

/** Table name without instance ranges, as a dotted path. */
const stripRanges = (name: string): string => name.replace(/\[[^\]]*\]/g, '');

function componentFor(tableName: Field, components: FlatComponent[]): FlatComponent {
  const name = stringValue(tableName);
  const plain = stripRanges(name);
  // A bare name (no dots) may name a component directly.
  const hit = components.find((c) => stripRanges(c.qualifiedName) === plain || (!plain.includes('.') && c.name === plain));
  if (!hit) fail(tableName, 'reference', `table '${name}' names no component of the architecture (components: ${components.map((c) => c.qualifiedName).join(', ')})`);
  return hit;
}

function remember(positions: Positions, key: string, f: Field): void {
  const offset = f.node?.range?.[0];
  if (offset === undefined) return;
  const p = f.source.lineCounter.linePos(offset);
  positions[key] = { file: f.source.file, position: { line: p.line, column: p.col } };
}

function tables(f: Field): Field[] {
  const keys = mapFields(f, ['version', 'tables']);
  return seqFields(required(f, keys, 'tables'));
}

/** Timeloop prices its inferred networks' wires from a table whose last name segment is `wire` or `Wire`. */
const isWireTable = (name: string): boolean => /^(wire|Wire)$/.test(stripRanges(name).split('.').pop()!);

/** An ERT table's actions, each the largest energy over its argument variants. */
function tableActions(t: Field, tk: Map<string, Field>, positions: Positions, at: string): Record<string, number> {
  const actions: Record<string, number> = {};
  for (const a of seqFields(required(t, tk, 'actions'))) {
    const ak = mapFields(a, ['name', 'arguments', 'energy']);
    const action = stringValue(required(a, ak, 'name'));
    const energyField = required(a, ak, 'energy');
    const energy = finiteNumberField(energyField, { min: -Infinity });
    if (energy < 0) fail(energyField, 'value', `negative energy ${energy}`);
    actions[action] = Math.max(actions[action] ?? -Infinity, energy);
    remember(positions, `${at}.actions.${action}`, a);
  }
  return actions;
}

export function parseErt(f: Field, components: FlatComponent[], positions: Positions): EnergyReferenceTable {
  const out: EnergyReferenceTable['components'] = {};
  let wireEnergy: number | undefined;
  for (const t of tables(f)) {
    const tk = mapFields(t, ['name', 'actions']);
    const nameField = required(t, tk, 'name');
    if (isWireTable(stringValue(nameField)) && !components.some((c) => c.name === stripRanges(stringValue(nameField)).split('.').pop())) {
      const actions = tableActions(t, tk, positions, 'ERT.tables[wire]');
      if (actions.transfer_random === undefined) fail(nameField, 'energy-table', `the wire table has no action 'transfer_random'`);
      // Timeloop applies a wire energy of 0 as none.
      if (actions.transfer_random > 0) wireEnergy = actions.transfer_random;
      continue;
    }
    const component = componentFor(nameField, components);
    if (out[component.name]) fail(nameField, 'schema', `a second ERT table for ${component.name}`);
    remember(positions, `ERT.tables[${component.name}]`, t);
    out[component.name] = { tableName: stringValue(nameField), actions: tableActions(t, tk, positions, `ERT.tables[${component.name}]`) };
  }
  return wireEnergy === undefined ? { components: out } : { components: out, wireEnergy };
}

export function parseArt(f: Field, components: FlatComponent[], positions: Positions): AreaReferenceTable {
  const out: AreaReferenceTable['components'] = {};
  for (const t of tables(f)) {
    const tk = mapFields(t, ['name', 'area']);
    const nameField = required(t, tk, 'name');
    if (isWireTable(stringValue(nameField)) && !components.some((c) => c.name === stripRanges(stringValue(nameField)).split('.').pop())) continue; // wires have no area in Timeloop
    const component = componentFor(nameField, components);
    if (out[component.name]) fail(nameField, 'schema', `a second ART table for ${component.name}`);
    remember(positions, `ART.tables[${component.name}]`, t);
    const areaField = required(t, tk, 'area');
    const area = finiteNumberField(areaField, { min: -Infinity });
    if (area < 0) fail(areaField, 'value', `negative area ${area}`);
    out[component.name] = { tableName: stringValue(nameField), area };
  }
  return { components: out };
}

/**
 * Attribute names each compound class declares (its own), over the `compound_components` of every
 * file; a class defined in several files declares the union of its definitions' attributes.
 */
export function declaredAttributes(fields: readonly Field[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const f of fields) {
    if (!isPresent(f)) continue;
    const keys = mapFields(f, ['version', 'classes']);
    for (const cls of optionalSeq(child(f, keys, 'classes'))) {
      const ck = mapFields(cls, ['name', 'attributes', 'subcomponents', 'actions', 'description']);
      const name = stringValue(required(cls, ck, 'name'));
      const attrs = child(cls, ck, 'attributes');
      const names = out.get(name) ?? new Set<string>();
      if (isPresent(attrs)) for (const a of mapFields(attrs).keys()) names.add(a);
      out.set(name, names);
    }
  }
  return out;
}
