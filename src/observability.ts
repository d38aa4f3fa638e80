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

// Counted in a plain Map (a command's hot path pays one Map update), added to Powertools once per flush.
const counts = new Map<KitMetric, number>();

export const count = (name: KitMetric, value = 1): void => {
  if (value > 0) counts.set(name, (counts.get(name) ?? 0) + value);
};

/** Publishes what was counted since the last flush, if anything (queries count nothing: no empty-metrics warning). */
export const flushMetrics = (dimensions: Record<string, string> = {}): void => {
  for (const [name, value] of counts) metrics.addMetric(name, MetricUnit.Count, value);
  counts.clear();
  if (!metrics.hasStoredMetrics()) return;
  // Added only when publishing (which clears them): a dimension left over from an empty flush
  // would make the next one warn "already added".
  metrics.addDimensions(dimensions);
  metrics.publishStoredMetrics();
};
