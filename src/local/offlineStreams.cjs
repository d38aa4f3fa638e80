// A serverless-offline companion that runs the DynamoDB Stream event source mappings of
// serverless.yml against DynamoDB Local the way AWS Lambda does:
// - polls each shard often (pollIntervalMs, default 50 ms), so views follow within tens of ms;
// - honours parallelizationFactor: up to N batches of one shard at once, order kept per item
//   (partition and sort key) only, as Lambda does (shardLanes.cjs); the shard's checkpoint moves
//   once every lane of what was read is done;
// - honours ReportBatchItemFailures: records before the first reported failure are done,
//   the batch is retried from that record, up to the mapping's maximumRetryAttempts;
// - after the last retry the failed records go to a local dead-letter file
//   (<deadLetterDir>/<function>.jsonl), the local stand-in for the on-failure SQS queue;
// - keeps a checkpoint per shard, written only after a batch is done, so a restart resumes
//   where it stopped (a crash re-delivers at most the batch in flight: at-least-once, as on AWS).
//
// Options (custom.offlineStreams): endpoint, pollIntervalMs, checkpointFile, deadLetterDir.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { DescribeTableCommand, DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} = require('@aws-sdk/client-dynamodb-streams');
const { checkedFactor, deliverInLanes } = require('./shardLanes.cjs');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A stream record as the Lambda event carries it (dates as epoch seconds). */
const lambdaRecord = (record, streamArn, region) => ({
  eventID: record.eventID,
  eventName: record.eventName,
  eventVersion: record.eventVersion,
  eventSource: 'aws:dynamodb',
  awsRegion: region,
  eventSourceARN: streamArn,
  dynamodb: {
    ...record.dynamodb,
    ApproximateCreationDateTime:
      record.dynamodb && record.dynamodb.ApproximateCreationDateTime instanceof Date
        ? Math.floor(record.dynamodb.ApproximateCreationDateTime.getTime() / 1000)
        : record.dynamodb?.ApproximateCreationDateTime,
  },
});

class Checkpoints {
  constructor(file) {
    this.file = file;
    try {
      this.state = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      this.state = {};
    }
  }
  key(functionKey, streamArn, shardId) {
    return `${functionKey}|${streamArn}|${shardId}`;
  }
  get(functionKey, streamArn, shardId) {
    return this.state[this.key(functionKey, streamArn, shardId)];
  }
  set(functionKey, streamArn, shardId, sequenceNumber) {
    this.state[this.key(functionKey, streamArn, shardId)] = sequenceNumber;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.state, null, 2));
    fs.renameSync(tmp, this.file);
  }
}

class OfflineStreams {
  constructor(serverless, cliOptions, { log } = {}) {
    this.serverless = serverless;
    this.cliOptions = cliOptions;
    this.log = log || { notice: console.log, warning: console.warn, error: console.error };
    this.running = false;
    this.loops = [];
    this.hooks = {
      'offline:start:init': () => this.start(),
      'offline:start:end': () => this.stop(),
      'offline:functionsUpdated:cleanup': () => this.forgetBundles(),
    };
  }

  options() {
    const custom = this.serverless.service.custom?.offlineStreams || {};
    const region = this.serverless.service.provider.region || 'us-east-1';
    return {
      region,
      endpoint: custom.endpoint || 'http://127.0.0.1:8000',
      pollIntervalMs: Number(custom.pollIntervalMs || 50),
      checkpointFile: path.resolve(custom.checkpointFile || '.dynamodb/data/streams-checkpoint.json'),
      deadLetterDir: path.resolve(custom.deadLetterDir || '.dynamodb/data/dead-letters'),
    };
  }

  /** The stream event source mappings of serverless.yml, with their table names resolved. */
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one reading of serverless.yml stream settings, each a guard clause
  mappings() {
    const { service } = this.serverless;
    const resources = service.resources?.Resources || {};
    const mappings = [];
    for (const functionKey of service.getAllFunctions()) {
      for (const event of service.getAllEventsInFunction(functionKey) || []) {
        const stream = event.stream;
        if (stream?.type !== 'dynamodb' || stream.enabled === false) continue;
        const getAtt = stream.arn?.['Fn::GetAtt'];
        const logicalId = Array.isArray(getAtt) ? getAtt[0] : undefined;
        const tableName = logicalId && resources[logicalId]?.Properties.TableName;
        if (!tableName)
          throw new Error(`offlineStreams: ${functionKey}'s stream arn must be !GetAtt <Table>.StreamArn`);
        mappings.push({
          functionKey,
          tableName,
          batchSize: stream.batchSize || 100,
          parallelizationFactor: checkedFactor(stream.parallelizationFactor),
          maximumRetryAttempts: stream.maximumRetryAttempts === undefined ? 10 : stream.maximumRetryAttempts,
          startingPosition: stream.startingPosition || 'TRIM_HORIZON',
          reportsFailures: stream.functionResponseType === 'ReportBatchItemFailures',
        });
      }
    }
    return mappings;
  }

  async start() {
    const mappings = this.mappings();
    if (mappings.length === 0) return;
    this.opts = this.options();
    const clientConfig = {
      region: this.opts.region,
      endpoint: this.opts.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    this.dynamo = new DynamoDBClient(clientConfig);
    this.streams = new DynamoDBStreamsClient(clientConfig);
    this.checkpoints = new Checkpoints(this.opts.checkpointFile);

    this.lambda = await this.loadLambda([...new Set(mappings.map((m) => m.functionKey))]);

    this.running = true;
    for (const mapping of mappings) this.loops.push(this.runMapping(mapping));
    this.log.notice(
      `offlineStreams: ${mappings.map((m) => `${m.tableName} → ${m.functionKey} (×${m.parallelizationFactor})`).join(', ')} (every ${this.opts.pollIntervalMs} ms)`,
    );
  }

  /** serverless-offline's Lambda runtime for the mapped functions (tests put their handlers in its place). */
  async loadLambda(functionKeys) {
    const { default: Lambda } = await import('serverless-offline/lambda');
    const lambda = new Lambda(this.serverless, { ...this.cliOptions });
    lambda.create(
      functionKeys.map((functionKey) => ({
        functionKey,
        functionDefinition: this.serverless.service.getFunction(functionKey),
      })),
    );
    return lambda;
  }

  /**
   * serverless-esbuild rebuilt the bundles after a source change. With --useInProcess the
   * handlers are `require`d into this process, so drop them from the module cache: the next
   * invocation (HTTP or stream) loads the new code.
   */
  forgetBundles() {
    const serviceDir = this.serverless.config.serviceDir || this.serverless.config.servicePath;
    const bundles = path.join(serviceDir, '.esbuild') + path.sep;
    for (const file of Object.keys(require.cache)) if (file.startsWith(bundles)) delete require.cache[file];
  }

  async stop() {
    this.running = false;
    await Promise.allSettled(this.loops);
    if (this.lambda) await this.lambda.cleanup();
  }

  async runMapping(mapping) {
    const { Table } = await this.dynamo.send(new DescribeTableCommand({ TableName: mapping.tableName }));
    const streamArn = Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`offlineStreams: table ${mapping.tableName} has no stream`);
    const shardLoops = new Map();
    // Shards come and go over time: look for new ones now and then.
    while (this.running) {
      const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      for (const shard of StreamDescription?.Shards || []) {
        if (!shardLoops.has(shard.ShardId))
          shardLoops.set(shard.ShardId, this.runShard(mapping, streamArn, shard.ShardId));
      }
      for (let i = 0; i < 100 && this.running; i += 1) await sleep(100);
    }
    await Promise.allSettled(shardLoops.values());
  }

  async iteratorFor(mapping, streamArn, shardId) {
    const after = this.checkpoints.get(mapping.functionKey, streamArn, shardId);
    const { ShardIterator } = await this.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: mapping.startingPosition }),
      }),
    );
    return ShardIterator;
  }

  async runShard(mapping, streamArn, shardId) {
    let iterator = await this.iteratorFor(mapping, streamArn, shardId);
    while (this.running && iterator) {
      let page;
      try {
        // Enough for every concurrent batch of the shard (GetRecords returns at most 1,000).
        const limit = Math.min(1000, mapping.batchSize * mapping.parallelizationFactor);
        page = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
      } catch (error) {
        if (!this.running) return;
        if (error.name === 'ExpiredIteratorException' || error.name === 'TrimmedDataAccessException') {
          iterator = await this.iteratorFor(mapping, streamArn, shardId);
          continue;
        }
        this.log.warning(`offlineStreams: GetRecords failed (${error.message}); retrying`);
        await sleep(1000);
        continue;
      }
      const records = (page.Records || []).map((r) => lambdaRecord(r, streamArn, this.opts.region));
      if (records.length > 0) {
        await deliverInLanes({
          records,
          factor: mapping.parallelizationFactor,
          batchSize: mapping.batchSize,
          deliver: (batch) => this.deliver(mapping, batch),
        });
        this.checkpoints.set(
          mapping.functionKey,
          streamArn,
          shardId,
          records[records.length - 1].dynamodb.SequenceNumber,
        );
      } else {
        await sleep(this.opts.pollIntervalMs);
      }
      iterator = page.NextShardIterator;
    }
  }

  /** Invokes the function until the batch is done or retries run out; then dead-letters what is left. */
  async deliver(mapping, records) {
    let pending = records;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      let failedFrom = 0;
      let reason;
      try {
        const fn = this.lambda.get(mapping.functionKey);
        fn.setEvent({ Records: pending });
        const result = await fn.runHandler();
        const failures = (mapping.reportsFailures && result?.batchItemFailures) || [];
        if (failures.length === 0) return;
        // Lambda restarts from the lowest failed sequence number.
        const failed = new Set(failures.map((f) => f.itemIdentifier));
        failedFrom = pending.findIndex((r) => failed.has(r.dynamodb.SequenceNumber));
        if (failedFrom === -1) failedFrom = 0;
        reason = `batchItemFailures: ${[...failed].join(', ')}`;
      } catch (error) {
        reason = error?.message ? error.message : String(error);
      }
      pending = pending.slice(failedFrom);
      if (attempt >= mapping.maximumRetryAttempts) {
        this.deadLetter(mapping, pending, reason);
        return;
      }
      if (!this.running) return;
      await sleep(Math.min(2000, 100 * 2 ** attempt));
    }
  }

  deadLetter(mapping, records, reason) {
    fs.mkdirSync(this.opts.deadLetterDir, { recursive: true });
    const file = path.join(this.opts.deadLetterDir, `${mapping.functionKey}.jsonl`);
    const at = new Date().toISOString();
    fs.appendFileSync(
      file,
      `${records.map((record) => JSON.stringify({ at, function: mapping.functionKey, reason, record })).join('\n')}\n`,
    );
    this.log.error(
      `offlineStreams: ${records.length} record(s) for ${mapping.functionKey} dead-lettered to ${file} (${reason})`,
    );
  }
}

module.exports = OfflineStreams;
