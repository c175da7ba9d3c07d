/**
 * The access matrix of a master spatial loop for one data space, folded over its invocations.
 *
 * Per invocation, the first child's delta D (the delta of the loop below the spatial run, or one
 * operation-space point when the run reaches the arithmetic units) is sent once per multicast class
 * of children (spatial-children.ts). Neighbour links: when D is the previous invocation's D shifted
 * by u, the children whose grid neighbour had T larger by u could get their data from it; Timeloop
 * takes that option when it removes at least one whole class. Which classes an invocation uses thus
 * depends only on its carry and its predecessor's, so the matrix sums over the kinds of step of
 * invocations.ts; entries appear in the order Timeloop first meets them.
 */

import type { AccessClass } from './types.ts';
import type { InvocationStep } from './invocations.ts';
import { type ChildClasses, type SpatialRun, isNeighbourShift, linkReuse, multicastClasses, multicastClassesWithHops } from './spatial-children.ts';
import { type WindowDeltas, carryTranslation } from './window-deltas.ts';

export interface SpatialAccess {
  access: AccessClass[];
  linkTransfers: number;
}

/**
 * Classes scaled by Σ weight · |D| of the invocations that used them, merged by (multicast, scatter).
 * With mesh hops, each class also carries Σ group hops · weight · |D| (Timeloop's weighted sum).
 */
function accessMatrix(choices: { classes: ChildClasses; words: number }[]): AccessClass[] {
  const access: AccessClass[] = [];
  for (const { classes, words } of choices) {
    classes.classes.forEach((c, i) => {
      const same = access.find((x) => x.multicast === c.multicast && x.scatter === c.scatter);
      const hops = classes.hops ? classes.hops[i] * words : undefined;
      if (same) {
        same.accesses += c.scatter * words;
        if (hops !== undefined) same.hops = (same.hops ?? 0) + hops;
      } else access.push({ multicast: c.multicast, scatter: c.scatter, accesses: c.scatter * words, ...(hops === undefined ? {} : { hops }) });
    });
  }
  return access;
}

interface Option {
  classes: ChildClasses;
  reused: number;
  /** Σ weight · |D| of the invocations that use it, and the first position of one. */
  words: number;
  first: number;
}

/** The option used when D moved by the translation of `carry`: the link option if Timeloop takes it. */
function shiftedOption(run: SpatialRun, child: WindowDeltas, carry: number, plain: Option, hops: boolean): Option {
  const u = carryTranslation(child, carry);
  const link = isNeighbourShift(run, u) ? linkReuse(run, u, hops) : null;
  if (link && link.remaining.groups < plain.classes.groups) return { classes: link.remaining, reused: link.reused, words: 0, first: Infinity };
  return plain;
}

/**
 * `child`: the deltas of the loop below the run (for a run that reaches the arithmetic units, a
 * single point that is never reused); `steps`: the kinds of invocation of the run; `links`: false
 * when the data space may not use neighbour links here (`no_link_transfer`).
 */
export function spatialAccess(run: SpatialRun, child: WindowDeltas, steps: readonly InvocationStep[], hops = false, links = true): SpatialAccess {
  const plain: Option = { classes: hops ? multicastClassesWithHops(run) : multicastClasses(run), reused: 0, words: 0, first: Infinity };
  const options = [plain];
  const byCarry = new Map<number, Option>();
  for (const step of steps) {
    const size = child.sizes[step.carry + 1];
    if (size === 0) continue;
    // Equal kinds in a row are equal box lists shifted by the carry's translation.
    const shifted = step.hasPrevious && child.kinds[step.previous + 1] === child.kinds[step.carry + 1];
    let option = plain;
    if (shifted) {
      option = byCarry.get(step.carry) ?? (links ? shiftedOption(run, child, step.carry, plain, hops) : plain);
      if (!byCarry.has(step.carry)) {
        byCarry.set(step.carry, option);
        if (option !== plain) options.push(option);
      }
    }
    option.words += step.weight * size;
    option.first = Math.min(option.first, step.position);
  }
  const used = options.filter((o) => o.first !== Infinity).sort((a, b) => a.first - b.first);
  return { access: accessMatrix(used), linkTransfers: used.reduce((s, o) => s + o.reused * o.words, 0) };
}
