// The page's chart: each leaked type's count per iteration as a line, in an inline SVG drawn
// here (no charting library: a line chart of a few series is some fifty lines of SVG, and the
// page must load nothing and run no script). The legend is HTML below it, so long type names
// wrap instead of being cut.
import type { LeakTrend, TypeTrend } from '../leak-trend.js';
import { escapeHtml } from './escape.js';

/** Lines drawn at most: the most telling types (the trend's order: growing first). */
export const CHART_TYPES = 8;
/** Colours that stay apart for most colour vision (Okabe and Ito's palette, and two more). */
const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#7f7f7f', '#332288'];

const WIDTH = 760;
const HEIGHT = 280;
const MARGIN = { left: 56, right: 16, top: 16, bottom: 40 };
/** X-axis labels at most (every nth iteration is labelled beyond this). */
const X_LABELS = 12;

/** Path data of a series: a gap where an iteration could not tell (null). */
function pathOf(counts: readonly (number | null)[], x: (i: number) => number, y: (count: number) => number): string {
  let data = '';
  let drawing = false;
  counts.forEach((count, i) => {
    if (count === null) {
      drawing = false;
      return;
    }
    data += `${drawing ? 'L' : 'M'}${x(i).toFixed(1)} ${y(count).toFixed(1)} `;
    drawing = true;
  });
  return data.trim();
}

function series(t: TypeTrend, colour: string, iterationNumbers: readonly number[], x: (i: number) => number, y: (count: number) => number): string {
  const points = t.counts
    .map((count, i) =>
      count === null
        ? ''
        : `<circle cx="${x(i).toFixed(1)}" cy="${y(count).toFixed(1)}" r="3" fill="${colour}"><title>${escapeHtml(`${t.objectType}: ${count} in iteration ${iterationNumbers[i]}`)}</title></circle>`,
    )
    .join('');
  return `<g class="series" data-type="${escapeHtml(t.objectType)}"><path d="${pathOf(t.counts, x, y)}" fill="none" stroke="${colour}" stroke-width="2"/>${points}</g>`;
}

/** The chart and its legend, or a sentence when there is nothing to draw. */
export function trendChart(trend: LeakTrend): string {
  const shown = trend.types.slice(0, CHART_TYPES);
  if (shown.length === 0) return '<p>No leaked type to chart.</p>';
  const n = trend.iterationNumbers.length;
  const max = Math.max(1, ...shown.flatMap((t) => t.counts.map((c) => c ?? 0)));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (i: number) => MARGIN.left + (n === 1 ? plotWidth / 2 : (i / (n - 1)) * plotWidth);
  const y = (count: number) => MARGIN.top + plotHeight - (count / max) * plotHeight;
  const ticks = [0, Math.round(max / 2), max].filter((v, i, all) => all.indexOf(v) === i);
  const yAxis = ticks
    .map((v) => `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(v)}" y2="${y(v)}" class="grid"/><text x="${MARGIN.left - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`)
    .join('');
  const every = Math.ceil(n / X_LABELS);
  const xAxis = trend.iterationNumbers
    .map((number, i) => (i % every === 0 || i === n - 1 ? `<text x="${x(i).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${number}</text>` : ''))
    .join('');
  const lines = shown.map((t, i) => series(t, COLOURS[i % COLOURS.length]!, trend.iterationNumbers, x, y)).join('');
  const legend = shown
    .map((t, i) => `<li><span class="swatch" style="background:${COLOURS[i % COLOURS.length]}"></span><code>${escapeHtml(t.objectType)}</code> <span class="verdict ${t.verdict}">${t.verdict}</span></li>`)
    .join('');
  const more = trend.types.length - shown.length;
  return (
    `<figure class="chart"><svg id="trend-chart" role="img" aria-labelledby="trend-chart-title" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">` +
    `<title id="trend-chart-title">New leaked objects per type in each iteration</title>${yAxis}` +
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${HEIGHT - MARGIN.bottom}" class="axis"/>${xAxis}` +
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 6}" text-anchor="middle">iteration</text>${lines}</svg>` +
    `<figcaption><ul class="legend">${legend}</ul>${more > 0 ? `<p>${more} more type${more === 1 ? '' : 's'} in the table below.</p>` : ''}</figcaption></figure>`
  );
}
