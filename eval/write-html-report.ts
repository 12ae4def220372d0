import escapeHtml from 'escape-html';
import { describePlace } from '../core/chunks/describe-place.js';
import type { Citation } from '../core/contracts/types.js';
import { format } from './check-thresholds.js';
import { metricLabel, metricsChartSvg } from './metrics-chart.js';
import { METRIC_KEYS } from './metrics.js';
import { reliabilityDiagramSvg } from './reliability-diagram.js';
import { reliabilitySummary, type CaseResult, type EvalReport } from './write-reports.js';

// Everything inline and nothing fetched (the policy forbids it), so the page works offline, from a
// CI artifact, and cannot be made to load anything by a document's text.
const POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 16px; color: #1d2327; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
.verdict.passed { color: #1a7f37; } .verdict.failed { color: #cf222e; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #d8dee4; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; position: sticky; top: 0; }
.metrics td.num, .metrics th.num { text-align: right; font-variant-numeric: tabular-nums; }
.chart .grid { stroke: #d8dee4; } .chart .axis, .chart .value { font-size: 11px; fill: #57606a; } .chart .label { font-size: 12px; fill: #1d2327; }
.chart .bar { fill: #2f81f7; } .chart .bar.failed { fill: #cf222e; } .chart .baseline { fill: #8c959f; } .chart .threshold { stroke: #1d2327; stroke-width: 2; stroke-dasharray: 3 2; }
.reliability .grid { stroke: #d8dee4; } .reliability .axis, .reliability .count { font-size: 11px; fill: #57606a; } .reliability .label { font-size: 12px; fill: #1d2327; }
.reliability .perfect { stroke: #1d2327; stroke-dasharray: 4 3; } .reliability .accuracy { fill: #2f81f7; fill-opacity: 0.75; } .reliability .overclaims .accuracy { fill: #cf222e; } .reliability .mean { fill: #1d2327; }
.legend span { margin-right: 16px; } .swatch { display: inline-block; width: 12px; height: 8px; margin-right: 4px; }
.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
.filters input { flex: 1 1 240px; padding: 6px; } .filters select { padding: 6px; }
.status { font-weight: 600; white-space: nowrap; } tr[data-status=passed] .status { color: #1a7f37; } tr[data-status=failed] .status { color: #cf222e; }
.refused-tag { display: inline-block; font-size: 12px; background: #fff8c5; border-radius: 4px; padding: 0 4px; }
.citations { margin: 0; padding: 0; list-style: none; } .where { color: #57606a; font-size: 12px; }
blockquote { margin: 2px 0 6px; padding-left: 8px; border-left: 3px solid #d8dee4; color: #424a53; white-space: pre-wrap; overflow-wrap: anywhere; }
#cases .answer { white-space: pre-wrap; overflow-wrap: anywhere; } #cases .question { width: 22%; } #cases .answer, #cases .sources { width: 29%; } #cases .problems { width: 14%; }
.failures { margin: 0; padding-left: 18px; color: #cf222e; } .note { color: #57606a; }
.ok { color: #1a7f37; font-weight: 600; } .bad { color: #cf222e; font-weight: 600; }
`;

const SCRIPT = `
(function () {
  var text = document.getElementById('filter-text');
  var status = document.getElementById('filter-status');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#cases tbody tr'));
  var haystacks = rows.map(function (row) { return row.textContent.toLowerCase(); });
  var count = document.getElementById('shown-count');
  var empty = document.getElementById('no-match');
  function matchesStatus(row, wanted) {
    if (wanted === 'all') return true;
    if (wanted === 'refused') return row.dataset.refused === 'true';
    if (wanted === 'answered') return row.dataset.refused === 'false';
    return row.dataset.status === wanted;
  }
  function apply() {
    var query = text.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row, i) {
      row.hidden = !(matchesStatus(row, status.value) && haystacks[i].indexOf(query) !== -1);
      if (!row.hidden) shown++;
    });
    count.textContent = shown + ' of ' + rows.length + ' cases';
    empty.hidden = shown > 0;
  }
  text.addEventListener('input', apply);
  status.addEventListener('change', apply);
  apply();
})();
`;

/**
 * One self-contained HTML page for reviewers: the metrics against the baseline as a chart and a
 * table, and every case (question, answer, citations, failures) in a table filtered by text and
 * by outcome. All text from the cases and documents is escaped.
 */
export function htmlReport(report: EvalReport): string {
  const title = `Verbatim eval: ${report.passed ? 'passed' : 'failed'}`;
  const failedCount = report.results.filter((r) => r.failures.length > 0).length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${POLICY}">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Verbatim eval: <span class="verdict ${report.passed ? 'passed' : 'failed'}">${report.passed ? 'passed' : 'failed'}</span></h1>
<p>${report.results.length} cases from <code>${escapeHtml(report.cases)}</code>, ${escapeHtml(report.mode)} mode, ${escapeHtml(report.createdAt)}. ${failedCount} with problems.</p>
${report.notes.map((note) => `<p class="note">Note: ${escapeHtml(note)}.</p>`).join('\n')}
<h2>Metrics${report.baseline ? ' against the baseline' : ''}</h2>
${metricsChartSvg(report.metrics, report.baseline, report.checks)}
<p class="legend"><span><i class="swatch" style="background:#2f81f7"></i>this run</span><span><i class="swatch" style="background:#cf222e"></i>a check failed</span>${report.baseline ? '<span><i class="swatch" style="background:#8c959f"></i>baseline</span>' : ''}<span>┆ threshold</span></p>
${metricsTable(report)}
${report.reliability ? reliabilitySection(report.reliability) : ''}
<h2>Cases</h2>
<div class="filters">
<input id="filter-text" type="search" placeholder="Filter by any text: id, question, answer, source, failure" aria-label="Filter cases by text">
<select id="filter-status" aria-label="Filter cases by outcome">
<option value="all">all cases</option><option value="failed">failed</option><option value="passed">passed</option><option value="refused">refused</option><option value="answered">answered</option>
</select>
<span id="shown-count" aria-live="polite"></span>
</div>
<table id="cases">
<thead><tr><th>case</th><th class="question">question</th><th class="answer">answer</th><th class="sources">citations</th><th class="problems">failures</th></tr></thead>
<tbody>
${report.results.map(caseRow).join('\n')}
</tbody>
</table>
<p id="no-match" hidden>No case matches these filters.</p>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** The reliability of the answers shown: the figures and the diagram of confidence against the share right. */
function reliabilitySection(reliability: NonNullable<EvalReport['reliability']>): string {
  return `<h2>Confidence</h2>
<p>${escapeHtml(reliabilitySummary(reliability))}.</p>
${reliabilityDiagramSvg(reliability)}
<p class="legend"><span><i class="swatch" style="background:#2f81f7"></i>share right of the answers shown in each tenth of confidence</span><span><i class="swatch" style="background:#cf222e"></i>below its mean confidence (overclaims)</span><span>● mean confidence</span><span>┄ a confidence that means what it says</span></p>`;
}

function metricsTable(report: EvalReport): string {
  const rows = METRIC_KEYS.map((key) => {
    const value = report.metrics[key];
    const before = report.baseline?.[key] ?? null;
    const change = value !== null && before !== null ? signed(value - before) : '';
    const checks = report.checks.filter((c) => c.metric === key);
    const verdict = checks
      .map(
        (c) =>
          `<span class="${c.passed ? 'ok' : 'bad'}">${c.passed ? 'ok' : 'FAILED'}</span> ${escapeHtml(c.message.replace(/^FAILED /, ''))}`,
      )
      .join('<br>');
    const baselineCells = report.baseline ? `<td class="num">${format(before)}</td><td class="num">${change}</td>` : '';
    return `<tr><td>${escapeHtml(metricLabel(key))}</td><td class="num">${format(value)}</td>${baselineCells}<td>${verdict}</td></tr>`;
  });
  const baselineHead = report.baseline ? '<th class="num">baseline</th><th class="num">change</th>' : '';
  return `<table class="metrics"><thead><tr><th>metric</th><th class="num">value</th>${baselineHead}<th>checks</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function caseRow(result: CaseResult): string {
  const status = result.failures.length > 0 ? 'failed' : 'passed';
  const expected = result.expectedUnanswerable ? '<br><span class="where">expected: not in the sources</span>' : '';
  const refused = result.refused ? '<span class="refused-tag">refused</span> ' : '';
  const reason =
    result.refused && result.reason && !result.answer.includes(result.reason)
      ? `<br><span class="where">${escapeHtml(result.reason)}</span>`
      : '';
  const confidence = result.confidence !== null ? `<br><span class="where">confidence ${format(result.confidence)}</span>` : '';
  const failures = result.failures.length
    ? `<ul class="failures">${result.failures.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`
    : '';
  return `<tr data-id="${escapeHtml(result.id)}" data-status="${status}" data-refused="${result.refused}"><td><span class="status">${status}</span><br>${escapeHtml(result.id)}${expected}</td><td class="question">${escapeHtml(result.question)}</td><td class="answer">${refused}${escapeHtml(result.answer)}${reason}${confidence}</td><td class="sources">${citationList(result.citations)}</td><td class="problems">${failures}</td></tr>`;
}

function citationList(citations: Citation[]): string {
  if (citations.length === 0) return '';
  const items = citations.map(
    (c) =>
      `<li><span class="where">${escapeHtml(`[${c.n}] ${describePlace(c)}`)}</span><blockquote>${escapeHtml(c.quote)}</blockquote></li>`,
  );
  return `<ul class="citations">${items.join('')}</ul>`;
}

function signed(delta: number): string {
  const shown = format(Math.abs(delta));
  return delta > 0 ? `+${shown}` : delta < 0 ? `−${shown}` : '0';
}
