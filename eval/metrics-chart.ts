import escapeHtml from 'escape-html';
import { format, LOWER_IS_BETTER, type Check } from './check-thresholds.js';
import { METRIC_KEYS, type MetricKey, type Metrics } from './metrics.js';

/** Metrics that are not shares of 0..1 (milliseconds, characters): they go in the table, not on the chart's scale. */
const UNBOUNDED = new Set<MetricKey>(['latency_p50_ms', 'latency_p95_ms', 'answer_chars_mean']);

const LABEL_WIDTH = 250;
const BAR_WIDTH = 360;
const VALUE_WIDTH = 110;
const ROW_HEIGHT = 34;
const TOP = 26;

/**
 * An inline SVG bar chart of the 0..1 metrics: this run's value as a bar (red when one of its
 * checks failed), the baseline's as a thinner grey bar beneath, and each threshold as a tick.
 * Hand-written SVG: a chart library would mean shipping its code inside every report.
 */
export function metricsChartSvg(metrics: Metrics, baseline: Partial<Metrics> | null, checks: Check[]): string {
  const keys = METRIC_KEYS.filter((key) => !UNBOUNDED.has(key) && (metrics[key] !== null || (baseline?.[key] ?? null) !== null));
  const width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
  const height = TOP + keys.length * ROW_HEIGHT + 8;
  const x = (value: number) => LABEL_WIDTH + Math.max(0, Math.min(1, value)) * BAR_WIDTH;
  const parts: string[] = [];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line class="grid" x1="${x(tick)}" x2="${x(tick)}" y1="${TOP - 6}" y2="${height - 8}"/>`);
    parts.push(`<text class="axis" x="${x(tick)}" y="${TOP - 10}" text-anchor="middle">${tick}</text>`);
  }
  keys.forEach((key, row) => {
    const y = TOP + row * ROW_HEIGHT;
    const value = metrics[key];
    const before = baseline?.[key] ?? null;
    const failed = checks.some((c) => c.metric === key && !c.passed);
    const label = metricLabel(key);
    parts.push(`<g class="metric" data-metric="${escapeHtml(key)}">`);
    parts.push(`<text class="label" x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(label)}</text>`);
    if (value !== null) {
      parts.push(
        `<rect class="bar${failed ? ' failed' : ''}" x="${LABEL_WIDTH}" y="${y + 4}" width="${x(value) - LABEL_WIDTH}" height="13"><title>${escapeHtml(`${key}: ${format(value)}`)}</title></rect>`,
      );
    }
    if (before !== null) {
      parts.push(
        `<rect class="baseline" x="${LABEL_WIDTH}" y="${y + 20}" width="${x(before) - LABEL_WIDTH}" height="6"><title>${escapeHtml(`${key} baseline: ${format(before)}`)}</title></rect>`,
      );
    }
    for (const check of checks.filter((c) => c.metric === key && c.kind !== 'baseline')) {
      parts.push(
        `<line class="threshold" x1="${x(check.bound)}" x2="${x(check.bound)}" y1="${y}" y2="${y + 28}"><title>${escapeHtml(`${check.kind} ${format(check.bound)}`)}</title></line>`,
      );
    }
    const shown = before === null ? format(value) : `${format(value)} (was ${format(before)})`;
    parts.push(`<text class="value" x="${LABEL_WIDTH + BAR_WIDTH + 8}" y="${y + 15}">${escapeHtml(shown)}</text>`);
    parts.push('</g>');
  });
  const summary = `Metrics of this run${baseline ? ' against the baseline' : ''}, on a scale from 0 to 1`;
  return `<svg class="chart" role="img" aria-label="${escapeHtml(summary)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

/** A metric's name, saying so when a smaller value is the better one. */
export function metricLabel(key: MetricKey): string {
  return LOWER_IS_BETTER.has(key) ? `${key} (lower is better)` : key;
}
