import { opsEndpoint } from '../src/ops/appOps';

/** npm run rebuild/verify/redrive act on the stack `npm start` runs, read the same way (src/local/start.cjs). */
describe('opsEndpoint', () => {
  it('the local stage follows DYNAMODB_PORT as npm start does (it used to write to 8000 whatever the port)', () => {
    expect(opsEndpoint('local', {}, { DYNAMODB_PORT: '8700' })).toBe('http://127.0.0.1:8700');
    expect(opsEndpoint('local', {}, {})).toBe('http://127.0.0.1:8000');
    expect(opsEndpoint('local', {}, { DYNAMODB_PORT: '' })).toBe('http://127.0.0.1:8000');
  });

  it('flags first (--endpoint, then --dynamodb-port, as npm start takes it), then DYNAMODB_ENDPOINT, then DYNAMODB_PORT', () => {
    const env = { DYNAMODB_ENDPOINT: 'http://127.0.0.1:8100', DYNAMODB_PORT: '8700' };
    expect(opsEndpoint('local', {}, env)).toBe('http://127.0.0.1:8100');
    expect(opsEndpoint('local', { dynamoDbPort: '8800' }, env)).toBe('http://127.0.0.1:8800');
    expect(opsEndpoint('local', { endpoint: 'http://127.0.0.1:8900', dynamoDbPort: '8800' }, env)).toBe(
      'http://127.0.0.1:8900',
    );
  });

  it('another stage is AWS unless a flag names a DynamoDB: the local environment never redirects it', () => {
    expect(
      opsEndpoint('prod', {}, { DYNAMODB_PORT: '8700', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8100' }),
    ).toBeUndefined();
    expect(opsEndpoint('prod', { dynamoDbPort: '8700' }, {})).toBe('http://127.0.0.1:8700');
  });

  it('refuses a port that is not one', () => {
    for (const port of ['80a', '0', '70000', '-1', '8000; rm'])
      expect(() => opsEndpoint('local', {}, { DYNAMODB_PORT: port })).toThrow(
        `A DynamoDB port is 1 to 65535, not ${port}`,
      );
  });
});
