/**
 * Hand-written SVG bar chart of energy per level per case: for each case a pair of stacked bars
 * (golden, ours) coloured by level, and under it a strip of ours/golden ratios per level, so an
 * exact model reads as identical pairs over a row of 1.000s and a discrepancy stands out in red.
 * Deterministic output (fixed layout, fixed number formatting), no dependency.
 */

export interface ChartCase {
  label: string;
  /** null when the case failed to evaluate. */
  levels: { level: string; golden: number; ours: number | null }[];
}

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const fmt = (x: number): string => (Math.round(x * 10) / 10).toFixed(1);

/** `ratioTolerance`: how far from 1 a ratio may be before it is drawn as a discrepancy. */
export function energyChartSvg(cases: ChartCase[], title: string, ratioTolerance = 1e-6): string {
  const levelOrder: string[] = [];
  for (const c of cases) for (const l of c.levels) if (!levelOrder.includes(l.level)) levelOrder.push(l.level);
  const colour = (level: string): string => PALETTE[levelOrder.indexOf(level) % PALETTE.length];

  const barW = 22;
  const pairGap = 4;
  const groupW = 2 * barW + pairGap + 44;
  const left = 95;
  const top = 40;
  const plotH = 260;
  const ratioRowH = 14;
  const ratioTop = top + plotH + 34;
  const legendTop = ratioTop + levelOrder.length * ratioRowH + 20;
  const width = left + Math.max(1, cases.length) * groupW + 20;
  const height = legendTop + Math.ceil(levelOrder.length / 4) * 18 + 10;

  const totals = cases.flatMap((c) => [
    c.levels.reduce((s, l) => s + l.golden, 0),
    c.levels.every((l) => l.ours !== null) ? c.levels.reduce((s, l) => s + (l.ours ?? 0), 0) : 0,
  ]);
  const maxUj = Math.max(1e-9, ...totals) / 1e6;
  const scale = (pj: number): number => (pj / 1e6 / maxUj) * plotH;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${left}" y="20" font-size="14" font-weight="bold">${escapeXml(title)}</text>`);
  // y axis in uJ with 4 ticks
  for (let i = 0; i <= 4; i++) {
    const y = top + plotH - (i / 4) * plotH;
    out.push(`<line x1="${left - 4}" y1="${y}" x2="${width - 20}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 8}" y="${y + 4}" text-anchor="end">${fmt((i / 4) * maxUj)}</text>`);
  }
  out.push(`<text x="14" y="${top + plotH / 2}" transform="rotate(-90 14 ${top + plotH / 2})" text-anchor="middle">energy (uJ)</text>`);

  cases.forEach((c, ci) => {
    const x0 = left + ci * groupW + 10;
    const bars: { x: number; label: string; values: (number | null)[] }[] = [
      { x: x0, label: 'G', values: c.levels.map((l) => l.golden) },
      { x: x0 + barW + pairGap, label: 'O', values: c.levels.map((l) => l.ours) },
    ];
    for (const bar of bars) {
      if (bar.values.some((v) => v === null)) {
        out.push(`<text x="${bar.x + barW / 2}" y="${top + plotH - 4}" text-anchor="middle" fill="#c00" font-weight="bold">×</text>`);
      } else {
        let y = top + plotH;
        bar.values.forEach((v, li) => {
          const h = scale(v ?? 0);
          y -= h;
          out.push(`<rect x="${bar.x}" y="${y.toFixed(2)}" width="${barW}" height="${h.toFixed(2)}" fill="${colour(c.levels[li].level)}"/>`);
        });
      }
      out.push(`<text x="${bar.x + barW / 2}" y="${top + plotH + 12}" text-anchor="middle" fill="#555">${bar.label}</text>`);
    }
    out.push(`<text x="${x0 + barW + pairGap / 2}" y="${top + plotH + 25}" text-anchor="middle">${escapeXml(c.label)}</text>`);
    // ours/golden ratio per level, one row per level
    levelOrder.forEach((level, li) => {
      const l = c.levels.find((e) => e.level === level);
      const y = ratioTop + li * ratioRowH + 10;
      let text = '';
      let fill = '#333';
      if (l) {
        if (l.ours === null) {
          text = 'error';
          fill = '#c00';
        } else {
          const ratio = l.golden === 0 ? (l.ours === 0 ? 1 : Infinity) : l.ours / l.golden;
          text = Number.isFinite(ratio) ? ratio.toFixed(3) : '∞';
          if (!(Math.abs(ratio - 1) <= ratioTolerance)) fill = '#c00';
        }
      }
      out.push(`<text x="${x0 + barW + pairGap / 2}" y="${y}" text-anchor="middle" fill="${fill}">${text}</text>`);
    });
  });
  out.push(`<text x="${left - 8}" y="${ratioTop - 4}" text-anchor="end" font-style="italic">ours/golden</text>`);
  levelOrder.forEach((level, li) => {
    out.push(`<text x="${left - 8}" y="${ratioTop + li * ratioRowH + 10}" text-anchor="end" fill="${colour(level)}">${escapeXml(level)}</text>`);
  });
  levelOrder.forEach((level, li) => {
    const x = left + (li % 4) * 150;
    const y = legendTop + Math.floor(li / 4) * 18;
    out.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${colour(level)}"/>`);
    out.push(`<text x="${x + 16}" y="${y}">${escapeXml(level)}</text>`);
  });
  out.push(`<text x="${width - 20}" y="${legendTop}" text-anchor="end" fill="#555">G = golden, O = ours</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
