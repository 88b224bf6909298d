import { createRequire } from 'node:module';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { formatVi, type LocalDate } from '../core/dates.ts';
import { countTotal, scopeLine, type Report, type UnitFigures } from '../core/report.ts';
import { STATUS_LABELS, type ReportStatus } from '../core/status.ts';

/**
 * The status chart sent to a chat: one stacked horizontal bar per unit (the four statuses and "không có thời
 * hạn"), drawn as SVG here and rasterised by resvg (a native binary shipped inside npm packages: no browser,
 * no network). Text uses Be Vietnam Pro from an npm package, never a system font, so Vietnamese diacritics
 * render the same on every machine. Laid out for a phone: 1080 px wide, unit names above their bars.
 */

export const CHART_WIDTH = 1080;
export const MAX_CHART_UNITS = 25;

export const CHART_STATUSES: ReportStatus[] = ['done_on_time', 'done_late', 'open_in_time', 'open_overdue', 'no_deadline'];
export const CHART_COLORS: Record<ReportStatus, string> = {
  done_on_time: '#2E7D32',
  done_late: '#F9A825',
  open_in_time: '#1E88E5',
  open_overdue: '#D32F2F',
  no_deadline: '#9E9E9E',
};
const TEXT_ON: Record<ReportStatus, string> = {
  done_on_time: '#FFFFFF',
  done_late: '#222222',
  open_in_time: '#FFFFFF',
  open_overdue: '#FFFFFF',
  no_deadline: '#FFFFFF',
};

export const FONT_FAMILY = 'Be Vietnam Pro';

export type ChartOptions = {
  /** the day the figures are judged at; goes into the default title */
  date?: LocalDate;
  title?: string;
  /** a second line under the title (the plan's name, the period) */
  subtitle?: string[];
};

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Splits a text into at most `maxLines` lines of about `width` characters, the last one ellipsised. */
function wrap(text: string, width: number, maxLines: number): string[] {
  const words = text.trim().split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (!line) line = w;
    else if ((line + ' ' + w).length <= width) line += ' ' + w;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1]!;
  kept[maxLines - 1] = `${last.length > width - 1 ? last.slice(0, width - 1) : last}…`;
  return kept;
}

/** The chart as SVG text (exported so tests and other renderers can read what is drawn). */
export function statusChartSvg(figures: UnitFigures[], opts: ChartOptions = {}): string {
  const W = CHART_WIDTH;
  const pad = 40;
  const inner = W - 2 * pad;
  const parts: string[] = [];
  let y = pad;

  const title = opts.title ?? `Tình hình thực hiện nhiệm vụ${opts.date ? ` đến ngày ${formatVi(opts.date)}` : ''}`;
  for (const line of wrap(title, 50, 2)) {
    y += 44;
    parts.push(`<text x="${pad}" y="${y}" font-size="36" font-weight="bold" fill="#111111">${esc(line)}</text>`);
  }
  y += 6;
  for (const sub of opts.subtitle ?? []) {
    for (const line of wrap(sub, 72, 2)) {
      y += 34;
      parts.push(`<text x="${pad}" y="${y}" font-size="25" fill="#444444">${esc(line)}</text>`);
    }
  }

  // legend: two columns
  y += 24;
  const legendTop = y;
  CHART_STATUSES.forEach((s, i) => {
    const col = i % 2;
    const row = Math.floor(i / 2);
    const lx = pad + col * (inner / 2);
    const ly = legendTop + row * 42;
    parts.push(`<rect x="${lx}" y="${ly}" width="30" height="30" rx="4" fill="${CHART_COLORS[s]}"/>`);
    parts.push(`<text x="${lx + 42}" y="${ly + 24}" font-size="26" fill="#222222">${esc(STATUS_LABELS[s])}</text>`);
  });
  y = legendTop + Math.ceil(CHART_STATUSES.length / 2) * 42 + 16;
  parts.push(`<line x1="${pad}" y1="${y}" x2="${W - pad}" y2="${y}" stroke="#DDDDDD" stroke-width="2"/>`);
  y += 12;

  const shown = figures.slice(0, MAX_CHART_UNITS);
  const maxTotal = Math.max(0, ...shown.map(countTotal));
  const totalWidth = 90;
  const barMax = inner - totalWidth;
  const barHeight = 46;

  if (!shown.length) {
    y += 60;
    parts.push(`<text x="${pad}" y="${y}" font-size="30" fill="#444444">Chưa có số liệu.</text>`);
  }
  for (const f of shown) {
    const name = wrap(f.unit, 62, 2);
    for (const line of name) {
      y += 36;
      parts.push(`<text x="${pad}" y="${y}" font-size="28" font-weight="bold" fill="#222222">${esc(line)}</text>`);
    }
    y += 12;
    const total = countTotal(f);
    let x = pad;
    for (const s of CHART_STATUSES) {
      const n = f[s];
      if (!n || !maxTotal) continue;
      const w = (n / maxTotal) * barMax;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${CHART_COLORS[s]}"><title>${esc(`${STATUS_LABELS[s]}: ${n}`)}</title></rect>`);
      const label = String(n);
      if (w >= label.length * 16 + 12) {
        parts.push(`<text x="${(x + w / 2).toFixed(1)}" y="${y + 32}" font-size="26" font-weight="bold" text-anchor="middle" fill="${TEXT_ON[s]}">${label}</text>`);
      }
      x += w;
    }
    if (!total) parts.push(`<rect x="${pad}" y="${y}" width="${barMax}" height="${barHeight}" fill="none" stroke="#CCCCCC" stroke-dasharray="6 6"/>`);
    parts.push(`<text x="${(x + 14).toFixed(1)}" y="${y + 32}" font-size="26" fill="#222222">${total}</text>`);
    y += barHeight + 18;
  }
  if (figures.length > shown.length) {
    y += 40;
    parts.push(`<text x="${pad}" y="${y}" font-size="28" font-style="italic" fill="#444444">… và ${figures.length - shown.length} đơn vị khác</text>`);
  }
  y += pad;

  const H = Math.ceil(y);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FONT_FAMILY}">`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#FFFFFF"/>`,
    ...parts,
    '</svg>',
  ].join('\n');
}

let fontFiles: string[] | undefined;
/** The .ttf files of Be Vietnam Pro (regular, bold, italic) inside node_modules. */
export function chartFontFiles(): string[] {
  if (!fontFiles) {
    const dir = path.dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/be-vietnam-pro/package.json'));
    fontFiles = ['400Regular/BeVietnamPro_400Regular.ttf', '700Bold/BeVietnamPro_700Bold.ttf', '400Regular_Italic/BeVietnamPro_400Regular_Italic.ttf'].map((f) =>
      path.join(dir, f),
    );
  }
  return fontFiles;
}

/** Rasterises an SVG of this module to PNG bytes, with the bundled font only. */
export function svgToPng(svg: string): Uint8Array {
  const resvg = new Resvg(svg, {
    font: { fontFiles: chartFontFiles(), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    background: '#FFFFFF',
  });
  return new Uint8Array(resvg.render().asPng());
}

/** The stacked bar chart of the figures as PNG bytes. */
export async function statusChartPng(figures: UnitFigures[], opts: ChartOptions = {}): Promise<Uint8Array> {
  return svgToPng(statusChartSvg(figures, opts));
}

/** The chart options a report gives: title with its day, the plan and the period as subtitle. */
export function reportChartOptions(report: Report): ChartOptions {
  return { date: report.judgedOn, subtitle: [report.plan, scopeLine(report)].filter(Boolean) };
}
