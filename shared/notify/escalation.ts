import type { Incident } from '../domain/incident.js';
import { redactOrWithhold } from '../logs/redact.js';
import type { EscalationMessage, EscalationTally } from '../ports.js';
import { defang } from './defang.js';

/** Text from a log or a model, as it may appear in an e-mail: redacted once more and with no live link. */
function untrusted(text: string): string {
  return defang(redactOrWithhold(text));
}

/** SNS subjects are limited to 100 printable ASCII characters. */
function subject(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '').slice(0, 100);
}

function severityOf(incident: Incident): string {
  if (incident.source === 'cloudwatch') return 'high';
  if (incident.stageErrors.length > 0) return 'high';
  return incident.decision?.action === 'escalate' ? 'medium' : 'low';
}

/** An escalation that reads well as an email: summary first, then the evidence, links and what was tried. */
export function renderEscalation(incident: Incident, why: string, tally?: EscalationTally): EscalationMessage {
  const lines: string[] = [];
  const what =
    incident.source === 'cloudwatch'
      ? `CloudWatch alarm ${incident.alarm?.name ?? 'unknown'} is ${incident.alarm?.state ?? 'in ALARM'}`
      : `${incident.workflowName ?? 'A workflow'} failed in ${incident.repository ?? 'a repository'}${incident.branch ? ` on ${incident.branch}` : ''}`;
  lines.push(`${untrusted(what)}.`);
  lines.push(`Why you are getting this: ${untrusted(why)}`);
  if (tally && tally.total > 1 && tally.firstSeen) {
    lines.push(`Seen ${tally.total} times since ${tally.firstSeen}${tally.previousSentAt ? `; the last escalation of this problem went out at ${tally.previousSentAt}` : ''}.`);
  }
  lines.push('');
  if (incident.analysis?.injection) {
    lines.push('The log contained text aimed at automated tools (AI assistants, bots): the analysis model\'s answer is not shown and no automatic action was taken on it.');
    lines.push('');
  } else if (incident.analysis) {
    lines.push(`Root cause (${incident.analysis.provider}, confidence ${incident.analysis.confidence.toFixed(2)}): ${untrusted(incident.analysis.rootCause)}`);
    if (incident.analysis.fix.length > 0) {
      lines.push('Suggested fix:');
      incident.analysis.fix.slice(0, 10).forEach((step, i) => lines.push(`  ${i + 1}. ${untrusted(step)}`));
    }
    lines.push('');
  }
  if (incident.alarm) {
    lines.push(`Alarm: ${incident.alarm.name} (${incident.alarm.previousState ?? '?'} -> ${incident.alarm.state}) at ${incident.alarm.stateChangedAt}`);
    if (incident.alarm.metric) lines.push(`Metric: ${incident.alarm.namespace ?? ''} ${incident.alarm.metric}, threshold ${incident.alarm.threshold ?? 'n/a'}`);
    lines.push(`Reason: ${untrusted(incident.alarm.reason)}`);
    lines.push('');
  }
  if (incident.failureLines.length > 0) {
    lines.push('Failure lines:');
    for (const line of [...incident.failureLines].sort((a, b) => a.line - b.line).slice(0, 15)) lines.push(`  ${String(line.line).padStart(5)} | ${untrusted(line.text)}`);
    lines.push('');
  }
  if (incident.decision) lines.push(`What was tried: ${incident.decision.action} — ${untrusted(incident.decision.reason)}${incident.decision.result ? ` (${untrusted(incident.decision.result)})` : ''}`);
  if (incident.knowledge) lines.push(`History: ${untrusted(incident.knowledge.summary)}`);
  for (const error of incident.stageErrors) lines.push(`Stage ${error.stage} failed: ${untrusted(error.error)}`);
  if (incident.runUrl) lines.push(`Run: ${incident.runUrl}`);
  if (incident.pullRequest && incident.repository) lines.push(`Pull request: #${incident.pullRequest}`);
  lines.push(`Incident: ${incident.id}`);
  return {
    subject: subject(`[Pipeline Guard] ${what}`),
    message: lines.join('\n').slice(0, 200_000),
    attributes: {
      severity: severityOf(incident),
      source: incident.source,
      repository: incident.repository ?? incident.alarm?.name ?? 'unknown',
      category: incident.category ?? 'unknown',
    },
  };
}
