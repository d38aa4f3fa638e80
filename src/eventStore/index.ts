export * from './eventStore';
export * from './inMemoryEventStore';
export * from './dynamoDbEventStore';
export * from './eventSchema';
export * from './multiStreamAppend';
