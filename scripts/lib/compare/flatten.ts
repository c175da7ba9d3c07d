/**
 * Results as flat `dotted.path -> leaf` lists. Objects by key, arrays by index
 * (`storage.DRAM.tensors.Inputs.formatReads.actual.0.metadata`). Empty arrays/objects are leaves
 * themselves, so "expected none, got some" is still a compared field.
 */
export type Leaf = number | string | boolean | null | [] | Record<string, never>;

export function flatten(value: unknown, prefix = ''): [string, Leaf][] {
  const out: [string, Leaf][] = [];
  const walk = (v: unknown, path: string): void => {
    if (v !== null && typeof v === 'object') {
      const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
      if (entries.length === 0) {
        out.push([path, (Array.isArray(v) ? [] : {}) as Leaf]);
        return;
      }
      for (const [k, child] of entries) walk(child, path === '' ? k : `${path}.${k}`);
      return;
    }
    out.push([path, v as Leaf]);
  };
  walk(value, prefix);
  return out;
}

/** The value at a dotted path, or undefined when any segment is missing. */
export function valueAt(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
