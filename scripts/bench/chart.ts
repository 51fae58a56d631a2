import type { BenchReport, ScenarioResult } from './results.js';

const WIDTH = 980;
const LABEL_WIDTH = 270;
const PANEL_GAP = 60;
const PANEL_WIDTH = (WIDTH - LABEL_WIDTH - PANEL_GAP - 50) / 2;
const ROW = 24;
const BAR = 14;
const TOP = 92;
/** Bar colours on which white text is hard to read. */
const LIGHT = new Set(['#9e9e9e', '#f6b26b']);

function color(result: ScenarioResult): string {
  const { series, key } = result.scenario;
  if (series === 'a') return '#9e9e9e';
  if (series === 'b') return '#5f5f5f';
  if (series === 'c') return key.includes('postgres') ? '#17a2b8' : '#1f77b4';
  return key.startsWith('d-1m') ? '#e8710a' : '#f6b26b';
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((s) => s * magnitude >= value) ?? 10;
  return step * magnitude;
}

const thousands = (value: number) => Math.round(value).toLocaleString('en');

interface Panel {
  readonly title: string;
  readonly x: number;
  readonly max: number;
  readonly value: (r: ScenarioResult) => number;
  readonly text: (v: number) => string;
}

/**
 * A two-panel horizontal bar chart, throughput and p99 latency per scenario, drawn as plain SVG.
 * The bare node:http floor is usually an order of magnitude beyond the rest: its throughput bar is
 * cut at the panel's edge (marked with a break) so that the others stay readable.
 */
export function renderChart(report: BenchReport): string {
  const rows = report.results.filter((r) => r.runs.length > 0);
  const height = TOP + rows.length * ROW + 48;
  const scaleOf = (values: number[]) => niceMax(Math.max(...values.filter(Number.isFinite), 0) * 1.05);
  const nonFloor = rows.filter((r) => r.scenario.series !== 'a');
  const panels: Panel[] = [
    {
      title: 'Throughput (requests/s, higher is better)',
      x: LABEL_WIDTH,
      max: scaleOf((nonFloor.length > 0 ? nonFloor : rows).map((r) => r.requestsPerSecond)),
      value: (r) => r.requestsPerSecond,
      text: thousands,
    },
    {
      title: 'p99 latency (ms, lower is better)',
      x: LABEL_WIDTH + PANEL_WIDTH + PANEL_GAP,
      max: scaleOf(rows.map((r) => r.p99)),
      value: (r) => r.p99,
      text: (v) => `${v.toFixed(1)} ms`,
    },
  ];
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="26" font-size="16" font-weight="bold">Todo Manager MCP: tools/call over HTTP, ${report.machine.cpus} cores, 10 connections</text>`,
    `<text x="16" y="46" fill="#555">${escapeXml(
      `npm run bench, ${report.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${report.machine.node}, median of ${report.settings.rounds} rounds of ${report.settings.seconds} s, load average at start ${report.machine.loadAverage.join(' ')}`,
    )}</text>`,
  );
  for (const panel of panels) {
    out.push(`<text x="${panel.x}" y="${TOP - 16}" font-weight="bold">${escapeXml(panel.title)}</text>`);
    for (let i = 0; i <= 4; i++) {
      const x = panel.x + (PANEL_WIDTH * i) / 4;
      out.push(
        `<line x1="${x}" y1="${TOP - 6}" x2="${x}" y2="${TOP + rows.length * ROW}" stroke="#e3e3e3"/>`,
        `<text x="${x}" y="${TOP + rows.length * ROW + 16}" text-anchor="middle" fill="#666">${panel.text((panel.max * i) / 4)}</text>`,
      );
    }
  }
  rows.forEach((result, index) => {
    const y = TOP + index * ROW;
    out.push(
      `<text x="${LABEL_WIDTH - 10}" y="${y + BAR - 2}" text-anchor="end">${escapeXml(result.scenario.label)}</text>`,
    );
    for (const panel of panels) {
      const value = panel.value(result);
      if (!Number.isFinite(value)) continue;
      const isCut = value > panel.max;
      const width = Math.max(1, (Math.min(value, panel.max) / panel.max) * PANEL_WIDTH);
      out.push(
        `<rect x="${panel.x}" y="${y}" width="${width.toFixed(1)}" height="${BAR}" fill="${color(result)}"/>`,
      );
      if (isCut) {
        const bx = panel.x + PANEL_WIDTH - 14;
        out.push(
          `<path d="M${bx} ${y - 2} l6 ${BAR + 4} M${bx + 6} ${y - 2} l6 ${BAR + 4}" stroke="#ffffff" stroke-width="3"/>`,
          `<text x="${panel.x + PANEL_WIDTH - 18}" y="${y + BAR - 3}" text-anchor="end" fill="#ffffff" font-weight="bold">${panel.text(value)}</text>`,
        );
      } else {
        const inside = width > PANEL_WIDTH - 70;
        out.push(
          `<text x="${panel.x + width + (inside ? -4 : 4)}" y="${y + BAR - 3}" text-anchor="${inside ? 'end' : 'start'}" fill="${inside && !LIGHT.has(color(result)) ? '#ffffff' : '#222'}">${panel.text(value)}</text>`,
        );
      }
    }
  });
  out.push('</svg>', '');
  return out.join('\n');
}
