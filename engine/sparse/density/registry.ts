import type { DensityModel } from './model.ts';
import type { DensitySpec } from '../../input/types.ts';
import { SparsegaugeError } from '../../errors.ts';
import { fixedStructured } from './fixed-structured.ts';
import { hypergeometric } from './hypergeometric.ts';

/** What a density model may need besides its spec: the size of the whole tensor. */
export interface DensityContext {
  dataSpace: string;
  tensorSize: number;
  file?: string;
}

type DensityFactory = (spec: DensitySpec, context: DensityContext) => DensityModel;

/** Density models by distribution name; add a model by adding an entry. */
export const DENSITY_MODELS: Readonly<Record<string, DensityFactory>> = {
  'fixed-structured': (spec) => fixedStructured(spec.density),
  hypergeometric: (spec, context) => hypergeometric(spec.density, context.tensorSize, context),
};

export function createDensityModel(spec: DensitySpec, context: DensityContext): DensityModel {
  const factory = Object.hasOwn(DENSITY_MODELS, spec.distribution) ? DENSITY_MODELS[spec.distribution] : undefined;
  if (!factory) {
    throw new SparsegaugeError(
      'unsupported',
      `density distribution '${spec.distribution}' of data space ${context.dataSpace} is not modelled (known: ${Object.keys(DENSITY_MODELS).join(', ')})`,
      { file: context.file, field: `problem.instance.densities.${context.dataSpace}.distribution` },
    );
  }
  return factory(spec, context);
}
