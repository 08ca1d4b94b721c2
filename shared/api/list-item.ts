import { guardHandoff } from '../domain/handoff.js';
import type { Incident, IncidentSource, IncidentStatus, RemediationAction } from '../domain/incident.js';
import type { Category } from '../logs/types.js';
import { pairSafeEnd } from '../utf16.js';

/**
 * An incident as a row of the dashboard's list (`GET /incidents?view=summary`): what the row shows and its search
 * reads, each field bounded. A whole incident holds its failure lines, jobs, history and the model's answer, tens of
 * KB for an ordinary failure and hundreds for a fork's long log lines; 50 of them were the list's every refresh. The
 * incident's page still reads the whole incident (`GET /incidents/{id}`).
 */
export interface IncidentListItem {
  id: string;
  createdAt: string;
  status: IncidentStatus;
  source: IncidentSource;
  category: Category | null;
  /** The alarm's name, for an alarm; the row is titled by it, else by repository, workflow and branch. */
  alarmName: string | null;
  repository: string | null;
  workflowName: string | null;
  branch: string | null;
  /** The first failure lines, the one the row shows first; the others only for the list's search. */
  failureLines: string[];
  /** The analysis's root cause (withheld for a steered analysis, as the API withholds it everywhere), for the search. */
  rootCause: string | null;
  decision: { action: RemediationAction; applied: boolean } | null;
  /** Whether a person must act (the guard's hand-off, shared/domain/handoff.ts): the row's "needs a person". */
  mustAct: boolean;
}

/** Characters a name (workflow, branch, alarm, repository) keeps: a git ref or an alarm name is at most 255. */
const NAME_MAX = 256;
/** Failure lines a row keeps, and characters each: the row shows the first, cut by its width anyway. */
const LINES_MAX = 3;
const LINE_MAX = 300;
const ROOT_CAUSE_MAX = 300;

/** `text` cut to at most `max` UTF-16 units (an ellipsis marks a cut), never between the halves of a surrogate pair. */
function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, pairSafeEnd(text, max - 1))}…`;
}

const boundedOrNull = (text: string | null | undefined, max: number) => (text === null || text === undefined ? null : bounded(text, max));

/** The list's row of `incident`, which is as the API shows it (see `forDisplay`). */
export function listItemOf(incident: Incident): IncidentListItem {
  return {
    id: incident.id,
    createdAt: incident.createdAt,
    status: incident.status,
    source: incident.source,
    category: incident.category,
    alarmName: boundedOrNull(incident.alarm?.name, NAME_MAX),
    repository: boundedOrNull(incident.repository, NAME_MAX),
    workflowName: boundedOrNull(incident.workflowName, NAME_MAX),
    branch: boundedOrNull(incident.branch, NAME_MAX),
    failureLines: incident.failureLines.slice(0, LINES_MAX).map((line) => bounded(line.text, LINE_MAX)),
    rootCause: boundedOrNull(incident.analysis?.rootCause, ROOT_CAUSE_MAX),
    decision: incident.decision ? { action: incident.decision.action, applied: incident.decision.applied } : null,
    mustAct: guardHandoff(incident).mustAct,
  };
}
