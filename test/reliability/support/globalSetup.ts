// The reliability project's global setup: one local stack (started as `npm start` does) for
// the parts that share it, and a file where each part records its figures for the summary.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalStack } from '../../support/localStack';
import { mode } from './config';

export default async function reliabilitySetup(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const runDir = mkdtempSync(path.join(tmpdir(), 'todo-cqrs-reliability-'));
  const startedAt = new Date();
  const stack = await startLocalStack({ env: { LOG_LEVEL: 'WARN' } });
  process.env.RELIABILITY_REPORT_FILE = path.join(runDir, 'figures.jsonl');
  process.env.RELIABILITY_BASE_URL = stack.baseUrl;
  process.env.RELIABILITY_DYNAMODB_ENDPOINT = stack.dynamoDbEndpoint;
  process.env.RELIABILITY_DATA_DIR = stack.dataDir;
  // The stream-chaos property tests need a DynamoDB Local; outside `npm test` they use this one.
  process.env.TEST_DYNAMODB_ENDPOINT ??= stack.dynamoDbEndpoint;
  (globalThis as Record<string, unknown>).__RELIABILITY__ = { stack, runDir, startedAt, mode };
}
