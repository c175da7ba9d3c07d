/**
 * `problem`: the shape (dimensions, coefficients, data spaces and their projections) and the
 * instance (dimension sizes, coefficient values, densities). Every dimension needs an explicit
 * size; coefficients default to the shape's `default`; a data space without a density is dense.
 */
import { isMap } from 'yaml';
import type { DataSpace, DensitySpec, Problem, ProjectionTerm } from './types.ts';
import { DENSITY_MODELS } from '../sparse/density/registry.ts';
import {
  child,
  fail,
  isPresent,
  mapFields,
  required,
  seqFields,
  stringList,
  stringValue,
  booleanValue,
  rememberPosition,
  type Field,
  type FieldPositions,
} from './field.ts';
import { finiteNumberField, integerField } from './numbers.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function name(f: Field): string {
  const v = stringValue(f);
  if (!NAME.test(v)) fail(f, 'value', `'${v}' is not a valid name (letters, digits, underscore)`);
  return v;
}

function density(f: Field, dataSpace: string): DensitySpec {
  const check = (at: Field): number => {
    const d = finiteNumberField(at, { min: -Infinity });
    if (!(d > 0 && d <= 1)) fail(at, 'value', `density of ${dataSpace} must be in (0, 1], found ${d}`);
    return d;
  };
  if (!isPresent(f) || f.node === null) fail(f, 'schema', `missing density of ${dataSpace}`);
  if (!isMap(f.node)) return { distribution: 'fixed-structured', density: check(f) };
  // The modelled distributions take no parameters besides the density.
  const keys = mapFields(f, ['distribution', 'density']);
  const distField = required(f, keys, 'distribution');
  const distribution = stringValue(distField);
  if (!Object.hasOwn(DENSITY_MODELS, distribution)) {
    fail(distField, 'value', `unknown density distribution '${distribution}' of ${dataSpace} (known: ${Object.keys(DENSITY_MODELS).join(', ')})`);
  }
  const d = required(f, keys, 'density');
  return { distribution, density: check(d) };
}

/** `positions` records where the instance, its sizes and densities are, for errors raised when evaluating. */
export function parseProblem(problem: Field, positions: FieldPositions = {}): Problem {
  const keys = mapFields(problem, ['shape', 'instance', 'version']);
  const shape = required(problem, keys, 'shape');
  const shapeKeys = mapFields(shape, ['name', 'dimensions', 'coefficients', 'data-spaces']);
  const dimensionsField = required(shape, shapeKeys, 'dimensions');
  const dimensions = seqFields(dimensionsField).map(name);
  if (dimensions.length === 0) fail(dimensionsField, 'schema', 'the problem has no dimensions');
  const dup = dimensions.find((d, i) => dimensions.indexOf(d) !== i);
  if (dup) fail(dimensionsField, 'schema', `dimension '${dup}' listed twice`);

  const coefficientDefaults = new Map<string, number>();
  const coefficientsField = child(shape, shapeKeys, 'coefficients');
  if (isPresent(coefficientsField)) {
    for (const c of seqFields(coefficientsField)) {
      const ck = mapFields(c, ['name', 'default']);
      const cname = name(required(c, ck, 'name'));
      if (dimensions.includes(cname) || coefficientDefaults.has(cname)) fail(c, 'schema', `coefficient name '${cname}' clashes with a dimension or another coefficient`);
      const def = child(c, ck, 'default');
      coefficientDefaults.set(cname, isPresent(def) ? integerField(def, { min: 0 }) : 1);
    }
  }

  const instance = required(problem, keys, 'instance');
  rememberPosition(positions, 'problem.instance', instance);
  const instanceKeys = mapFields(instance, [...dimensions, ...coefficientDefaults.keys(), 'densities']);
  const bounds: Record<string, number> = {};
  for (const d of dimensions) {
    const f = required(instance, instanceKeys, d);
    rememberPosition(positions, `problem.instance.${d}`, f);
    bounds[d] = integerField(f, { min: 1 });
  }
  const coefficients: Record<string, number> = {};
  for (const [c, def] of coefficientDefaults) {
    const f = child(instance, instanceKeys, c);
    coefficients[c] = isPresent(f) ? integerField(f, { min: 0 }) : def;
  }

  const dataSpacesField = required(shape, shapeKeys, 'data-spaces');
  const dataSpaces: DataSpace[] = seqFields(dataSpacesField).map((ds) => {
    const dk = mapFields(ds, ['name', 'projection', 'read-write']);
    const dsName = name(required(ds, dk, 'name'));
    const rw = child(ds, dk, 'read-write');
    const projection = seqFields(required(ds, dk, 'projection')).map((rank) =>
      seqFields(rank).map((term): ProjectionTerm => {
        const parts = stringList(term);
        if (parts.length < 1 || parts.length > 2) fail(term, 'schema', 'a projection term is [dimension] or [dimension, coefficient]');
        const [dim, coef] = parts;
        if (!dimensions.includes(dim)) fail(term, 'reference', `projection names unknown dimension '${dim}'`);
        if (coef !== undefined && !coefficientDefaults.has(coef)) fail(term, 'reference', `projection names unknown coefficient '${coef}'`);
        return { dimension: dim, coefficient: coef === undefined ? 1 : coefficients[coef] };
      }),
    );
    if (projection.length === 0 || projection.some((r) => r.length === 0)) fail(ds, 'schema', `data space ${dsName} has an empty projection rank`);
    return { name: dsName, readWrite: isPresent(rw) ? booleanValue(rw) : false, projection };
  });
  const dsNames = dataSpaces.map((d) => d.name);
  const dupDs = dsNames.find((d, i) => dsNames.indexOf(d) !== i);
  if (dupDs) fail(dataSpacesField, 'schema', `data space '${dupDs}' listed twice`);
  if (dataSpaces.length === 0) fail(dataSpacesField, 'schema', 'the problem has no data spaces');

  const densities: Record<string, DensitySpec> = {};
  const densitiesField = child(instance, instanceKeys, 'densities');
  const given = isPresent(densitiesField) ? mapFields(densitiesField, dsNames) : new Map<string, Field>();
  for (const ds of dsNames) {
    const f = given.get(ds);
    if (f) rememberPosition(positions, `problem.instance.densities.${ds}`, f);
    densities[ds] = f ? density(f, ds) : { distribution: 'fixed-structured', density: 1 };
  }

  const shapeName = child(shape, shapeKeys, 'name');
  return {
    name: isPresent(shapeName) ? stringValue(shapeName) : 'problem',
    dimensions,
    bounds,
    coefficients,
    dataSpaces,
    densities,
  };
}
