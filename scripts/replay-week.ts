/**
 * npm run replay:week — a week of CI failures and alarms (events/replay/week.json) through the local runtime:
 * prints each step and whether it paged, then escalations sent, the digests sent when their windows ended, PR
 * comments written and edited, and the rendered comments as they stand at the end of the week.
 */
import { replayWeek } from '../infra/local/replay-week.js';

const result = await replayWeek({ log: (line) => console.log(line) });
console.log('');
console.log(`steps replayed:                 ${result.steps}`);
console.log(`escalations sent:               ${result.escalations.length} (distinct problems needing a human: ${result.distinctProblemsNeedingAHuman})`);
console.log(`digests when the windows ended: ${result.digests.length} (repeats counted on an escalation, reported once)`);
console.log(`PR comments written:            ${result.commentsWritten}`);
console.log(`PR comment edits:               ${result.commentEdits}`);
console.log(`commit comments written:        ${Object.keys(result.commitComments).length}`);
console.log(`pages for muted / suppressed / autoscaling / out-of-scope alarms: ${result.pagesFor.muted} / ${result.pagesFor.suppressed} / ${result.pagesFor.autoscaling} / ${result.pagesFor.outOfScope}`);
console.log(`pages for re-runs started by a person: ${result.pagesFor.personRerun}`);
for (const [target, body] of Object.entries(result.comments)) {
  console.log(`\n──── comment on ${target} ────\n${body}`);
}
if (result.escalations.length > result.distinctProblemsNeedingAHuman || result.digests.length > result.escalations.length || Object.values(result.pagesFor).some((n) => n > 0)) process.exitCode = 1;
