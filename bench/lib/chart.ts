/**
 * A small SVG line chart of every benchmark series (e.g. first-event latency against concurrent
 * sessions). Series sharing axis labels share one panel; panels stack vertically. No library: the
 * chart is a handful of lines, ticks and labels.
 */
import type { Series } from './result.js';

const WIDTH = 720;
const PANEL_HEIGHT = 320;
const MARGIN = { left: 72, right: 200, top: 36, bottom: 52 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf'];

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Round tick values (1, 2 or 5 times a power of ten) from 0 to at least `max`. */
export function ticks(max: number, wanted = 5): number[] {
  const top = max > 0 ? max : 1;
  const rough = top / wanted;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((factor) => factor * power >= rough) ?? 10) * power;
  const values: number[] = [];
  for (let value = 0; value < top + step; value += step) values.push(Number(value.toPrecision(12)));
  return values;
}

function panel(series: Series[], top: number): string[] {
  const first = series[0] as Series;
  const points = series.flatMap((line) => line.points);
  const xTicks = ticks(Math.max(...points.map((point) => point.x)));
  const yTicks = ticks(Math.max(...points.map((point) => point.y)));
  const xMax = xTicks.at(-1) as number;
  const yMax = yTicks.at(-1) as number;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (value: number) => MARGIN.left + (value / xMax) * plotWidth;
  const y = (value: number) => top + MARGIN.top + plotHeight - (value / yMax) * plotHeight;
  const bottom = top + MARGIN.top + plotHeight;

  const parts = [
    `<line x1="${MARGIN.left}" y1="${bottom}" x2="${MARGIN.left + plotWidth}" y2="${bottom}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" y1="${top + MARGIN.top}" x2="${MARGIN.left}" y2="${bottom}" stroke="#333"/>`,
  ];
  for (const value of xTicks) {
    parts.push(
      `<line x1="${x(value)}" y1="${bottom}" x2="${x(value)}" y2="${bottom + 5}" stroke="#333"/>`,
      `<text x="${x(value)}" y="${bottom + 18}" text-anchor="middle">${value}</text>`,
    );
  }
  for (const value of yTicks) {
    parts.push(
      `<line x1="${MARGIN.left}" y1="${y(value)}" x2="${MARGIN.left + plotWidth}" y2="${y(value)}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 8}" y="${y(value) + 4}" text-anchor="end">${value}</text>`,
    );
  }
  parts.push(
    `<text x="${MARGIN.left + plotWidth / 2}" y="${bottom + 40}" text-anchor="middle">${escapeXml(first.xLabel)}</text>`,
    `<text transform="translate(18 ${top + MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeXml(first.yLabel)}</text>`,
  );
  series.forEach((line, index) => {
    const colour = COLOURS[index % COLOURS.length];
    const sorted = [...line.points].sort((a, b) => a.x - b.x);
    const coordinates = sorted.map((point) => `${round(x(point.x))},${round(y(point.y))}`);
    parts.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${coordinates.join(' ')}"/>`,
    );
    for (const point of sorted)
      parts.push(`<circle cx="${round(x(point.x))}" cy="${round(y(point.y))}" r="3" fill="${colour}"/>`);
    const legendY = top + MARGIN.top + 8 + index * 20;
    const legendX = WIDTH - MARGIN.right + 16;
    parts.push(
      `<line x1="${legendX}" y1="${legendY}" x2="${legendX + 18}" y2="${legendY}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${legendX + 24}" y="${legendY + 4}">${escapeXml(line.name)}</text>`,
    );
  });
  return parts;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The SVG document; with no series (or no points) it says so instead of drawing empty axes. */
export function renderChart(series: Series[], title: string): string {
  const drawable = series.filter((line) => line.points.length > 0);
  const panels = new Map<string, Series[]>();
  for (const line of drawable) {
    const key = `${line.xLabel}\n${line.yLabel}`;
    panels.set(key, [...(panels.get(key) ?? []), line]);
  }
  const height = Math.max(1, panels.size) * PANEL_HEIGHT + 24;
  const body =
    panels.size === 0
      ? [`<text x="${WIDTH / 2}" y="${height / 2}" text-anchor="middle">no series in this run</text>`]
      : [...panels.values()].flatMap((lines, index) => panel(lines, 24 + index * PANEL_HEIGHT));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12" role="img">`,
    // Screen readers (and Biome's accessibility lint) need the chart's name as its title.
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
