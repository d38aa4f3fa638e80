export * from './snapshotStore';
export * from './dynamoDbSnapshotStore';
