import { Duration, Stack } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, type IMetric, MathExpression, Metric, PeriodOverride, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE, type MetricName, RECONCILER_METRIC } from '../../shared/adapters/metric-names.js';

export interface OperationsDashboardProps {
  readonly stateMachine: StateMachine;
  /** The `service` dimension this stack's functions emit with: the metrics of another stack in the account are not charted. */
  readonly service: string;
}

/**
 * The CloudWatch dashboard on-call opens: the business metrics the stages emit (EMF, namespace PipelineGuard) next
 * to the pipeline's own health. Metrics with dimensions are drawn with SEARCH, so a new category or action kind
 * shows up without a deploy.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const day = Duration.days(1);
    const hour = Duration.hours(1);
    const search = (name: MetricName, statistic: string, period: Duration, label: string) =>
      new MathExpression({
        expression: `SEARCH('Namespace="${METRICS_NAMESPACE}" MetricName="${name}" service="${props.service}"', '${statistic}', ${period.toSeconds()})`,
        label,
        period,
      });
    const plain = (name: MetricName, statistic: string, period: Duration, label: string): IMetric =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { service: props.service }, statistic, period, label });
    const graph = (title: string, left: IMetric[], width = 8) => new GraphWidget({ title, left, width, height: 6 });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-operations`,
      defaultInterval: Duration.days(14),
      periodOverride: PeriodOverride.INHERIT,
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: '# Pipeline Guard\nWhat the guard did: incidents, how fast people heard and recovered, what automation achieved, and what the model cost.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph('Incidents per day by source and category', [search(METRIC.incidents, 'Sum', day, '')]),
      graph('Time to first comment (s)', [plain(METRIC.timeToFirstComment, 'p50', hour, 'p50'), plain(METRIC.timeToFirstComment, 'p90', hour, 'p90')]),
      graph('Time to recovery (s)', [plain(METRIC.timeToRecovery, 'p50', day, 'p50'), plain(METRIC.timeToRecovery, 'p90', day, 'p90')]),
    );
    this.dashboard.addWidgets(
      graph('Automatic actions attempted by kind', [search(METRIC.actionsAttempted, 'Sum', day, '')]),
      graph('Automatic actions succeeded by kind', [search(METRIC.actionsSucceeded, 'Sum', day, '')]),
      graph('Escalations and digests', [plain(METRIC.escalations, 'Sum', day, 'escalations'), plain(RECONCILER_METRIC.digests, 'Sum', day, 'digests')]),
    );
    this.dashboard.addWidgets(
      graph('LLM tokens per day', [search(METRIC.llmInputTokens, 'Sum', day, 'input'), search(METRIC.llmOutputTokens, 'Sum', day, 'output')]),
      graph('LLM cost per day (USD)', [search(METRIC.llmCostUsd, 'Sum', day, '')]),
      graph('Reconciler re-drives', [plain(RECONCILER_METRIC.redriven, 'Sum', hour, 're-driven'), plain(RECONCILER_METRIC.redriveExhausted, 'Sum', hour, 'budget exhausted')]),
    );
    this.dashboard.addWidgets(
      graph(
        'Pipeline executions',
        [
          props.stateMachine.metricStarted({ period: hour, label: 'started' }),
          props.stateMachine.metricSucceeded({ period: hour, label: 'succeeded' }),
          props.stateMachine.metricFailed({ period: hour, label: 'failed' }),
        ],
        16,
      ),
      graph("Outsiders' failures analysed offline (model budget spent)", [plain(METRIC.outsiderModelBudgetSpent, 'Sum', hour, 'analysed offline')]),
    );
    this.dashboard.addWidgets(
      graph('Gate runs claiming a default branch GitHub did not confirm, by reason', [search(METRIC.gateRunsUnverified, 'Sum', day, '')], 16),
      graph('Reconciler work given up after failing for hours', [
        plain(RECONCILER_METRIC.pendingVotesAbandoned, 'Sum', day, 'vote changes'),
        plain(RECONCILER_METRIC.lateReactionReadsAbandoned, 'Sum', day, 'late reads of reactions'),
        plain(RECONCILER_METRIC.digestsAbandoned, 'Sum', day, 'digests'),
        plain(RECONCILER_METRIC.redrivesAbandoned, 'Sum', day, 'incident re-drives and escalations'),
        plain(RECONCILER_METRIC.givenUpUnpaged, 'Sum', day, 'of those, incidents nobody was paged about'),
        plain(RECONCILER_METRIC.approvalResumesAbandoned, 'Sum', day, 'resumes of /guard decisions'),
        plain(RECONCILER_METRIC.recoveryFollowUpsAbandoned, 'Sum', day, "recoveries' follow-ups"),
      ]),
    );
  }
}
