import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Structured JSON logs and CloudWatch metrics (EMF) with Powertools for AWS Lambda.
 * Service name, namespace and level come from POWERTOOLS_* variables (serverless.yml);
 * locally POWERTOOLS_METRICS_DISABLED keeps EMF lines out of the console.
 * Never log tokens or whole request bodies: log ids, versions, codes.
 */
export const logger = new Logger();
export const metrics = new Metrics();

/** The kit's counters. */
export type KitMetric =
  | 'CommandAccepted'
  | 'CommandUnchanged'
  | 'CommandRejected'
  | 'CommandConflict'
  | 'CommandRetry'
  | 'ProjectionApplied'
  | 'ProjectionDuplicate'
  | 'ProjectionGapHealed'
  | 'ProjectionFailure';

export const count = (name: KitMetric, value = 1): void => {
  if (value > 0) metrics.addMetric(name, MetricUnit.Count, value);
};

/** Publishes what was counted, if anything (queries count nothing: no empty-metrics warning per request). */
export const flushMetrics = (): void => {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
};
