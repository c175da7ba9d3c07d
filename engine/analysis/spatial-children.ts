/**
 * The children of one spatial run (a master loop and the spatial loops inside it) for one data
 * space. Timeloop simulates the first child only; child c's delta is the first child's translated
 * by T(c) = Σ_l idx_l · step_l (idx_l its index in loop l). A translate of a non-empty box list
 * equals the list only for a zero translation, so children share a delta exactly when they share
 * T: the multicast classes depend on the nest alone, not on the invocation.
 *
 * Children are numbered as the simulation enumerates them: innermost loop fastest.
 */

/** One (multicast, scatter) class shape: `scatter` groups of `multicast` children share a delta. */
export interface ClassShape {
  multicast: number;
  scatter: number;
}

/** Classes in the order Timeloop first meets them (children in index order), and their group count. */
export interface ChildClasses {
  classes: ClassShape[];
  groups: number;
  /** Per class, Σ over its groups of the group's mesh hops (compat behaviour `preciseMulticastHops`). */
  hops?: number[];
}

export interface SpatialRun {
  /** Loop ends, innermost first. */
  ends: number[];
  /** Per loop: data-space translation of one step, innermost first. */
  steps: number[][];
  /** Per loop: along X (the X loops of a run are its innermost ones). */
  alongX: boolean[];
  fanout: number;
  /** Grid the children sit on for neighbour links: index = y·h + x. */
  gridX: number;
  gridY: number;
}

const isZero = (t: readonly number[]): boolean => t.every((v) => v === 0);

/** Classes from group sizes listed in order of first appearance. */
function classesOf(groupSizes: number[]): ChildClasses {
  const classes: ClassShape[] = [];
  for (const m of groupSizes) {
    const c = classes.find((x) => x.multicast === m);
    if (c) c.scatter++;
    else classes.push({ multicast: m, scatter: 1 });
  }
  return { classes, groups: groupSizes.length };
}

/** Group sizes by T, in order of each group's first child, over `children` (ascending indices). */
function groupSizes(children: Iterable<number>, key: (c: number) => string, multiplicity: number): number[] {
  const groups = new Map<string, number>();
  for (const c of children) {
    const k = key(c);
    groups.set(k, (groups.get(k) ?? 0) + multiplicity);
  }
  return [...groups.values()];
}

/**
 * The classes of all children. Loops that do not move the tensor only multiply the class size;
 * moving loops on disjoint ranks make T injective (one class); otherwise the moving loops' index
 * combinations are grouped (the children of the other loops at index 0 come first, so order holds).
 */
export function multicastClasses(run: SpatialRun): ChildClasses {
  const moving: number[] = [];
  let still = 1;
  run.ends.forEach((end, l) => {
    if (isZero(run.steps[l])) still *= end;
    else moving.push(l);
  });
  if (moving.length === 0) return { classes: [{ multicast: run.fanout, scatter: 1 }], groups: 1 };
  const combos = run.fanout / still;
  const ranksUsed = new Set<number>();
  let disjoint = true;
  for (const l of moving) {
    run.steps[l].forEach((v, r) => {
      if (v === 0) return;
      if (ranksUsed.has(r)) disjoint = false;
      ranksUsed.add(r);
    });
  }
  if (disjoint) return { classes: [{ multicast: still, scatter: combos }], groups: combos };
  // Enumerate the moving loops' combinations in child order (outermost loop slowest).
  const rank = run.steps[0].length;
  const keys: string[] = [];
  const idx = new Array<number>(moving.length).fill(0);
  for (let n = 0; n < combos; n++) {
    const t = new Array<number>(rank).fill(0);
    moving.forEach((l, k) => run.steps[l].forEach((v, r) => (t[r] += idx[k] * v)));
    keys.push(t.join(','));
    for (let k = 0; k < moving.length && ++idx[k] === run.ends[moving[k]]; k++) idx[k] = 0;
  }
  return classesOf(groupSizes(keys.keys(), (c) => keys[c], still));
}

/** T(c) for every child, in child order. */
function childTranslations(run: SpatialRun): number[][] {
  const rank = run.steps[0]?.length ?? 0;
  const out: number[][] = [];
  const idx = new Array<number>(run.ends.length).fill(0);
  for (let c = 0; c < run.fanout; c++) {
    const t = new Array<number>(rank).fill(0);
    run.ends.forEach((_, l) => run.steps[l].forEach((v, r) => (t[r] += idx[l] * v)));
    out.push(t);
    for (let l = 0; l < run.ends.length && ++idx[l] === run.ends[l]; l++) idx[l] = 0;
  }
  return out;
}

/**
 * Whether some grid neighbours o, c may have T(o) − T(c) = u. Decided from the loops when the
 * grid is one row wide enough for all children (neighbours are consecutive children) or exactly as
 * wide as the X fanout (neighbours are consecutive along the X loops, or along the Y loops):
 * consecutive indices of a mixed radix differ by ±(step_k − Σ_{inner l} (end_l − 1)·step_l) (loop
 * k steps, the inner ones reset from their last index). Other grids wrap rows across loops: maybe.
 */
export function isNeighbourShift(run: SpatialRun, u: readonly number[]): boolean {
  let fanoutX = 1;
  for (let l = 0; l < run.ends.length; l++) if (run.alongX[l]) fanoutX *= run.ends[l];
  const byAxis = run.gridX === fanoutX;
  if (!byAxis && run.gridX < run.fanout) return true;
  for (const axis of byAxis ? [true, false] : [null]) {
    const back = u.map(() => 0);
    for (let l = 0; l < run.ends.length; l++) {
      if (axis !== null && run.alongX[l] !== axis) continue;
      const step = run.steps[l];
      let plus = true;
      let minus = true;
      for (let r = 0; r < u.length; r++) {
        const d = step[r] - back[r];
        plus &&= d === u[r];
        minus &&= -d === u[r];
        back[r] += (run.ends[l] - 1) * step[r];
      }
      if (plus || minus) return true;
    }
  }
  return false;
}

/**
 * Mesh hops of one multicast group (Timeloop v3's precise multicast, docs/timeloop-versions.md):
 * data enter at the centre of the Y edge, run along X to the farthest member column, then up and
 * down each member column from the centre to its farthest member. Children sit at x = c mod h,
 * y = ⌊c / h⌋.
 */
function meshHops(members: number[], h: number, v: number): number {
  const centre = (v - 1) / 2;
  let xMax = 0;
  const columns = new Map<number, { min: number; max: number }>();
  for (const c of members) {
    const x = c % h;
    const y = (c - x) / h;
    xMax = Math.max(xMax, x);
    const col = columns.get(x);
    if (col) {
      col.min = Math.min(col.min, y);
      col.max = Math.max(col.max, y);
    } else columns.set(x, { min: y, max: y });
  }
  let hops = xMax;
  for (const { min, max } of columns.values()) {
    if (min - centre < 0) hops += centre - min;
    if (max - centre > 0) hops += max - centre;
  }
  return hops;
}

/** `classes` with, per class, the summed mesh hops of the groups (equal T) among `children`. */
function withHops(run: SpatialRun, classes: ChildClasses, children: readonly number[], translations: number[][]): ChildClasses {
  const groups = new Map<string, number[]>();
  for (const c of children) {
    const k = translations[c].join(',');
    const g = groups.get(k);
    if (g) g.push(c);
    else groups.set(k, [c]);
  }
  const hops = classes.classes.map(() => 0);
  for (const members of groups.values()) {
    const i = classes.classes.findIndex((x) => x.multicast === members.length);
    hops[i] += meshHops(members, run.gridX, run.gridY);
  }
  return { ...classes, hops };
}

/** multicastClasses with the mesh hops of each class. */
export function multicastClassesWithHops(run: SpatialRun): ChildClasses {
  return withHops(run, multicastClasses(run), [...Array(run.fanout).keys()], childTranslations(run));
}

/** Whether child o exists and T(o) − T(c) = u. */
function shiftedBy(translations: number[][], c: number, o: number, u: readonly number[]): boolean {
  return o < translations.length && translations[o].every((x, r) => x - translations[c][r] === u[r]);
}

/** Children whose current delta equals a grid neighbour's previous delta (it is theirs shifted by u). */
export function linkReuse(run: SpatialRun, u: readonly number[], hops = false): { reused: number; remaining: ChildClasses } {
  const translations = childTranslations(run);
  const { gridX: h, gridY: v, fanout } = run;
  const reused = new Array<boolean>(fanout).fill(false);
  let count = 0;
  for (let c = 0; c < fanout; c++) {
    const x = c % h;
    const y = (c - x) / h;
    const hit =
      (v > 1 && ((y >= 1 && shiftedBy(translations, c, c - h, u)) || (y < v - 1 && shiftedBy(translations, c, c + h, u)))) ||
      (h > 1 && ((x >= 1 && shiftedBy(translations, c, c - 1, u)) || (x < h - 1 && shiftedBy(translations, c, c + 1, u))));
    if (hit) {
      reused[c] = true;
      count++;
    }
  }
  const rest = [...translations.keys()].filter((c) => !reused[c]);
  const remaining = classesOf(groupSizes(rest, (c) => translations[c].join(','), 1));
  return { reused: count, remaining: hops ? withHops(run, remaining, rest, translations) : remaining };
}
