/**
 * HTML report: one self-contained file (inline CSS, no external assets) that can be mailed or
 * attached to an audit. Everything reads without JavaScript; a tiny inline script only adds a
 * filter box. A Content-Security-Policy pinned to the hashes of our own style and script means
 * that even if some scanned text escaped our escaping, the browser would run nothing else and
 * load nothing from anywhere.
 */
import { createHash } from 'node:crypto';
import { RESULT_STATUSES, type RuleResult, type ScanResult } from '../core/results.js';
import {
  describeCounts,
  evidenceFindings,
  evidenceLocation,
  formatDuration,
  formatScore,
  orderForReport,
  redactReport,
} from './common.js';
import { escapeHtml as esc } from './escape.js';
import type { Remediation, ReportOptions } from './options.js';

const STYLE = `
:root{color-scheme:light dark;--fg:#1d2330;--muted:#5b6475;--bg:#fff;--card:#f6f7f9;--line:#d9dde4;
--fail:#c62828;--error:#8e24aa;--warn:#b26a00;--pass:#2e7d32;--na:#6b7280}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8ec;--muted:#9aa3b2;--bg:#14171c;--card:#1d2128;--line:#333a45}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:72rem;padding:1.5rem;font:15px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
h1{margin:0 0 .5rem;font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
h3{margin:0 0 .5rem;font-size:1.05rem}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
pre{background:var(--bg);border:1px solid var(--line);padding:.6rem;overflow:auto;white-space:pre-wrap}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:0}
dl.meta dt{color:var(--muted)}dl.meta dd{margin:0}
.scores{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:center}
.score-main{font-size:2.4rem;font-weight:700}
meter{width:14rem;height:1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid var(--line)}
th{color:var(--muted);font-weight:600}
table.counts{width:auto}
.rule{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--na);border-radius:4px;padding:.8rem 1rem;margin:.8rem 0}
.rule.fail{border-left-color:var(--fail)}.rule.error,.rule.unknown{border-left-color:var(--error)}
.badge{display:inline-block;min-width:5.5rem;padding:0 .4rem;border-radius:3px;font-size:.8rem;font-weight:700;text-transform:uppercase;text-align:center;color:#fff;background:var(--na)}
.badge.fail{background:var(--fail)}.badge.error,.badge.unknown{background:var(--error)}
.badge.pass,.badge.fixed{background:var(--pass)}.badge.notchecked{background:var(--warn)}
.sev{font-size:.8rem;font-weight:700;text-transform:uppercase;color:var(--muted)}
.sev.high{color:var(--fail)}.sev.medium{color:var(--warn)}
.muted{color:var(--muted)}
#filters{margin:.5rem 0;display:flex;gap:.5rem}
#filters input{flex:1;padding:.3rem}
`.trim();

const SCRIPT = `
(function(){var f=document.getElementById('filters');if(!f)return;f.hidden=false;
var q=document.getElementById('filter-text'),s=document.getElementById('filter-status');
function apply(){var t=q.value.toLowerCase(),v=s.value;
document.querySelectorAll('[data-status]').forEach(function(e){
e.hidden=!((v===''||e.getAttribute('data-status')===v)&&e.textContent.toLowerCase().indexOf(t)!==-1);});}
q.addEventListener('input',apply);s.addEventListener('change',apply);})();
`.trim();

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

const CSP = `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(SCRIPT)}; base-uri 'none'; form-action 'none'`;

/** Statuses presented as full cards with message and evidence, ahead of the summary table. */
const ATTENTION = new Set(['fail', 'error', 'unknown']);

function references(rule: RuleResult): string {
  const entries = Object.entries(rule.references)
    .filter(([, ids]) => ids.length > 0)
    .sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return '';
  const items = entries.map(([framework, ids]) => `<code>${esc(framework)}</code> ${esc(ids.join(', '))}`);
  return `<p class="refs"><span class="muted">References:</span> ${items.join('; ')}</p>`;
}

function evidenceTable(rule: RuleResult): string {
  if (rule.evidence.length === 0) return '';
  const rows = rule.evidence.map(
    (ev) =>
      `<tr><td>${esc(ev.source)}</td><td><code>${esc(evidenceLocation(ev))}</code></td>` +
      `<td>${esc(ev.expected ?? '')}</td><td>${esc(ev.found ?? '')}</td><td>${esc(ev.detail ?? '')}</td></tr>`,
  );
  return (
    '<table class="evidence"><thead><tr><th>Source</th><th>Resource</th><th>Expected</th>' +
    `<th>Found</th><th>Detail</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

function remediationBlock(remediation: Remediation | undefined): string {
  if (!remediation) return '';
  const parts: string[] = [];
  if (remediation.manual) parts.push(`<h4>Manual</h4><p>${esc(remediation.manual)}</p>`);
  if (remediation.bash) parts.push(`<h4>Shell</h4><pre><code>${esc(remediation.bash)}</code></pre>`);
  if (remediation.ansible) parts.push(`<h4>Ansible</h4><pre><code>${esc(remediation.ansible)}</code></pre>`);
  if (parts.length === 0) return '';
  return `<details class="remediation" open><summary>Remediation</summary>${parts.join('')}</details>`;
}

function ruleCard(rule: RuleResult, options: ReportOptions): string {
  const remediation = rule.status === 'fail' ? options.remediations?.[rule.ruleId] : undefined;
  return (
    `<article class="rule ${esc(rule.status)}" id="rule-${esc(rule.ruleId)}" data-status="${esc(rule.status)}">` +
    `<h3><span class="badge ${esc(rule.status)}">${esc(rule.status)}</span> ` +
    `<span class="sev ${esc(rule.severity)}">${esc(rule.severity)}</span> ` +
    `<code>${esc(rule.ruleId)}</code> ${esc(rule.title)}</h3>` +
    (rule.message === '' ? '' : `<p class="message">${esc(rule.message)}</p>`) +
    evidenceTable(rule) +
    references(rule) +
    remediationBlock(remediation) +
    '</article>'
  );
}

function otherRow(rule: RuleResult): string {
  const evidence = rule.evidence.map((ev) => {
    const findings = evidenceFindings(ev);
    return `<br><code>${esc(evidenceLocation(ev))}</code>${findings === '' ? '' : ` ${esc(findings)}`}`;
  });
  return (
    `<tr id="rule-${esc(rule.ruleId)}" data-status="${esc(rule.status)}">` +
    `<td><span class="badge ${esc(rule.status)}">${esc(rule.status)}</span></td>` +
    `<td><span class="sev ${esc(rule.severity)}">${esc(rule.severity)}</span></td>` +
    `<td><code>${esc(rule.ruleId)}</code></td><td>${esc(rule.title)}</td>` +
    `<td class="muted">${esc(rule.message)}${evidence.join('')}</td></tr>`
  );
}

export function renderHtml(result: ScanResult, reportOptions: ReportOptions = {}): string {
  const { scan, options } = redactReport(result, reportOptions);
  const ordered = orderForReport(scan.results);
  const attention = ordered.filter((r) => ATTENTION.has(r.status));
  const others = ordered.filter((r) => !ATTENTION.has(r.status));
  const { summary } = scan;
  const heading = scan.profile
    ? `${scan.target.description} — ${scan.profile.title}`
    : scan.target.description;

  const meta: Array<[string, string]> = [
    ['Target', `${scan.target.description} (${scan.target.kind})`],
    ...(scan.target.hostname ? [['Hostname', scan.target.hostname] as [string, string]] : []),
    ...(scan.target.os ? [['Operating system', scan.target.os] as [string, string]] : []),
    ['Profile', scan.profile ? `${scan.profile.id} — ${scan.profile.title}` : 'none'],
    ['Started', scan.startedAt],
    ['Finished', `${scan.finishedAt} (${formatDuration(summary.timings.totalMs)})`],
    ['Tool', `${scan.tool.name} ${scan.tool.version}`],
  ];

  const countRows = RESULT_STATUSES.filter((s) => summary.counts[s] > 0).map(
    (s) => `<tr><td><span class="badge ${s}">${s}</span></td><td>${summary.counts[s]}</td></tr>`,
  );
  const variables = Object.entries(scan.variables).sort(([a], [b]) => a.localeCompare(b));
  const statusOptions = RESULT_STATUSES.filter((s) => summary.counts[s] > 0).map(
    (s) => `<option value="${s}">${s}</option>`,
  );

  const body = [
    `<header><h1>Compliance report</h1><p class="muted">${esc(heading)}</p>`,
    `<dl class="meta">${meta.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl></header>`,
    '<section id="summary"><h2>Summary</h2><div class="scores">',
    `<div><div class="score-main" id="score-default">${formatScore(summary.score.default)}</div>`,
    `<meter min="0" max="100" low="50" high="80" optimum="100" value="${Number.isFinite(summary.score.default) ? summary.score.default : 0}">${formatScore(summary.score.default)}</meter>`,
    '<div class="muted">default score (XCCDF)</div></div>',
    `<div>Flat score: <strong>${formatScore(summary.score.flat)}</strong><br>`,
    `Flat unweighted: <strong>${formatScore(summary.score.flatUnweighted)}</strong><br>`,
    `<span class="muted">${summary.total} rules: ${esc(describeCounts(summary.counts, RESULT_STATUSES))}</span></div>`,
    `<table class="counts"><thead><tr><th>Status</th><th>Rules</th></tr></thead><tbody>${countRows.join('')}</tbody></table>`,
    '</div></section>',
    '<div id="filters" hidden><input id="filter-text" type="search" placeholder="Filter rules…" aria-label="Filter rules">',
    `<select id="filter-status" aria-label="Status"><option value="">all statuses</option>${statusOptions.join('')}</select></div>`,
    `<section id="attention"><h2>Failed and errored (${attention.length})</h2>`,
    attention.length === 0
      ? '<p class="muted">No rule failed.</p>'
      : attention.map((r) => ruleCard(r, options)).join(''),
    '</section>',
    `<section id="others"><h2>Other results (${others.length})</h2>`,
    others.length === 0
      ? '<p class="muted">None.</p>'
      : '<table class="results"><thead><tr><th>Status</th><th>Severity</th><th>Rule</th><th>Title</th><th>Detail</th></tr></thead>' +
        `<tbody>${others.map(otherRow).join('')}</tbody></table>`,
    '</section>',
    variables.length === 0
      ? ''
      : '<section id="variables"><h2>Variables</h2><table><thead><tr><th>Name</th><th>Value</th></tr></thead><tbody>' +
        variables
          .map(([k, v]) => `<tr><td><code>${esc(k)}</code></td><td><code>${esc(String(v))}</code></td></tr>`)
          .join('') +
        '</tbody></table></section>',
  ];

  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${esc(`${scan.tool.name} ${scan.tool.version}`)}">`,
    `<title>${esc(`Vouch report: ${heading}`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body.filter((part) => part !== ''),
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
