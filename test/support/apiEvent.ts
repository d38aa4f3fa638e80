import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { bearerFor } from './bearer';

type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/** An HTTP API event from `sub`, as API Gateway passes it on: its JWT claims and its own bearer token. */
export const apiEvent = ({
  sub = 'alice',
  headers = {},
  ...rest
}: Partial<ApiEvent> & { sub?: unknown } = {}): ApiEvent =>
  ({
    version: '2.0',
    routeKey: 'POST /things',
    rawPath: '/things',
    rawQueryString: '',
    headers: { authorization: bearerFor(sub), ...headers },
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      authorizer: { jwt: { claims: { sub }, scopes: [] }, principalId: '', integrationLatency: 0 },
    },
    ...rest,
  }) as unknown as ApiEvent;

/** Calls a route's handler and parses its JSON answer. */
export const callRoute = async (route: (event: ApiEvent, context: Context) => Promise<unknown>, event: ApiEvent) => {
  const result = (await route(event, {} as Context)) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode, headers: result.headers, body: JSON.parse(result.body ?? 'null') as unknown };
};
