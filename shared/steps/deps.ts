import type { Config } from '../config.js';
import type { Analyzer, Clock, EscalationPublisher, GitHubPort } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';

/** Minimal structured logger; Powertools' Logger satisfies it, tests pass a silent one. */
export interface StepLogger {
  info(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
}

/** Everything a pipeline step may touch, chosen once by a composition root (AWS or local). */
export interface StepDeps {
  config: Config;
  incidents: IncidentStore;
  /** GitHub access; null when no credentials are configured (the step then degrades, never fails). */
  github: GitHubPort | null;
  analyzer: Analyzer;
  /** Deterministic analyzer used when the configured provider failed. */
  fallbackAnalyzer: Analyzer;
  escalations: EscalationPublisher;
  clock: Clock;
  logger: StepLogger;
}

export const silentLogger: StepLogger = { info() {}, warn() {}, error() {} };
