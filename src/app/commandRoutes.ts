/**
 * Commands declared one call each, route and action together:
 * `const command = commandRoutes(commandsOf(orders, { streamId }), route.with({ answer: orderAnswer }))`,
 * then `placeOrder: command.post(order.placeOrder, '/orders', 'Place an order', { body: orderBody, creates: 'orderId' })`.
 * The same command as `commandsOf`'s short form `command(action, route.post(…))`, in fewer lines.
 */
import type { Action, DomainEvent } from '../contracts';
import type { HttpMethod } from '../http/apiRoute';
import type {
  Aggregate,
  Command,
  CommandRequest,
  CommandsOf,
  Created,
  OnDefaultStream,
  RequestFields,
  StreamReads,
} from './definition';
import type { RouteSchemas } from '../http/httpRoute';
import type {
  KitErrorCode,
  PathParamNames,
  RouteBuilders,
  RouteDefaults,
  SchemasOf,
  ShortRoute,
  ShortRouteOptions,
  WithPathParams,
} from './routes';

type Fields<O, P extends string> = RequestFields<
  WithPathParams<SchemasOf<O>, P>,
  O extends { readonly reads: infer R } ? R : unknown
> &
  Created<O extends { readonly creates: infer F extends string } ? F : never>;

/** The request a stream read's id sees: the path's parameters typed from the path. */
type PathRequest<P extends string> = Omit<CommandRequest<RouteSchemas>, 'params' | 'reads' | 'newId'> & {
  readonly params: { readonly [K in PathParamNames<P>]: string };
};

/**
 * A command's options: its route's, and the other streams it reads (`reads: { stock: stateOf(stock, 'stockId') }`),
 * whose ids see the path's parameters by name.
 */
export interface CommandRouteOptions<C extends string, P extends string = string> extends ShortRouteOptions<C> {
  readonly reads?: Readonly<Record<string, TypedRead<P>>>;
}
/** A read whose id is typed by the route's path (`stateOf`'s result in `reads`). */
interface TypedRead<P extends string> {
  // biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
  readonly aggregate: Aggregate<any, any>;
  readonly id: (request: PathRequest<P>) => string;
}

/** One method's builder: `(action, path, summary, options)`; without an answer (nor the group's), its ids and version. */
type CommandBuilder<TState, TEvent extends DomainEvent, Q, C extends string> = <
  P extends string,
  const O extends CommandRouteOptions<C | KitErrorCode, P>,
>(
  action: Action<TState, NoInfer<Fields<O, P>>, TEvent>,
  // The request's fields must carry what commandsOf's stream id needs (else a message names the fix).
  path: P & OnDefaultStream<NoInfer<Fields<O, P>>, Q>,
  summary: string,
  options?: O,
) => Command<TState, TEvent, WithPathParams<SchemasOf<O>, P>, Fields<O, P>>;

export interface CommandRoutes<TState, TEvent extends DomainEvent, Q, C extends string> {
  readonly post: CommandBuilder<TState, TEvent, Q, C>;
  readonly put: CommandBuilder<TState, TEvent, Q, C>;
  readonly patch: CommandBuilder<TState, TEvent, Q, C>;
  readonly delete: CommandBuilder<TState, TEvent, Q, C>;
  /**
   * The same commands on a group of their routes (`routes.with(defaults)`): its answer and error codes
   * shared (`const mine = command.with({ errors: { 404: ['ORDER_NOT_FOUND'] } })`), added to the first group's.
   */
  with(defaults: RouteDefaults<C | KitErrorCode>): CommandRoutes<TState, TEvent, Q, C>;
}

/** Binds an aggregate's commands (`commandsOf`) to a group of routes (`route` or `route.with({ … })`). */
export const commandRoutes = <TState, TEvent extends DomainEvent, Q, C extends string, A extends boolean>(
  command: CommandsOf<TState, TEvent, Q>,
  routes: RouteBuilders<C, A>,
): CommandRoutes<TState, TEvent, Q, C> => {
  type Untyped = (options: { action: unknown; route: unknown; reads?: StreamReads }) => Command<TState, TEvent>;
  type Build = (path: string, summary: string, options?: ShortRouteOptions<string>) => ShortRoute<unknown, string>;
  const method =
    (name: Lowercase<Exclude<HttpMethod, 'GET'>>) =>
    (action: unknown, path: string, summary: string, options: CommandRouteOptions<string> = {}) => {
      const { reads, ...routeOptions } = options;
      const route = (routes[name] as unknown as Build)(path, summary, routeOptions);
      return (command as unknown as Untyped)({ action, route, ...(reads ? { reads: reads as StreamReads } : {}) });
    };
  return {
    post: method('post'),
    put: method('put'),
    patch: method('patch'),
    delete: method('delete'),
    with: (defaults: RouteDefaults<C | KitErrorCode>) => commandRoutes(command, routes.with(defaults)),
  } as unknown as CommandRoutes<TState, TEvent, Q, C>;
};
