/**
 * Part 11: the GraphQL request budget on hostile documents of at most 10,000 characters (the
 * route's cap): how long pricing takes (`checkRequestBudget` on a document parsed without the
 * token cap, so every shape is priced however many tokens it has), and how long `POST /graphql`
 * takes to answer it (parse with the token cap, validate, price), in process. Goal: every shape
 * priced in ≤ 50 ms. `npm run bench -- --parts=11`, or alone, without the bench's peers
 * (bench/graphqlPricingAlone.ts).
 */
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { parse, type OperationDefinitionNode } from 'graphql';
import { app } from '../handlers/app';
import { queryContextOf, type AppRuntime, type QueryContext } from '../src';
import { graphqlCostOf, graphqlSchemaOf } from '../src/app/graphql';
import { DEFAULT_MAX_COST, DEFAULT_MAX_MUTATIONS, checkRequestBudget, graphqlRoute } from '../src/graphql';
import { apiEvent } from '../test/support/apiEvent';
import { worstShapes } from '../test/support/graphqlShapes';
import { round, summarise, type Summary } from './stats';

export interface GraphqlPricingShape {
  readonly characters: number;
  /** What pricing alone answered: the refusal's code, or `priced` when within the budget. */
  readonly priced: string;
  /** Pricing: wall and CPU time (this process's, so a share of 2 busy cores counts less). */
  readonly priceMs: Summary;
  readonly priceCpuMs: Summary;
  /** What `POST /graphql` answered (its first error's code, or `data`). */
  readonly answered: string;
  readonly routeMs: Summary;
}

export interface GraphqlPricingResults {
  readonly rounds: number;
  readonly goalMs: number;
  /** The slowest shape's median and its slowest round, wall and CPU. */
  readonly priceMsP50Max: number;
  readonly priceMsMax: number;
  readonly priceCpuMsMax: number;
  readonly routeMsP50Max: number;
  readonly shapes: Record<string, GraphqlPricingShape>;
}

/** The goal: any document the route accepts (≤ 10,000 characters) is priced within this. */
export const PRICING_GOAL_MS = 50;

// A runtime whose reads find nothing: a shape that is not refused runs against empty views.
const queryContext = queryContextOf({
  documentClient: { send: async () => ({}) },
  tableOf: (view: { name: string }) => `bench-${view.name}`,
  readStream: async () => [],
} as unknown as QueryContext);
const runtime = { app, queryContext, runCommand: async () => ({ listId: 'l', version: 1 }) } as unknown as AppRuntime;

/** Wall and CPU milliseconds of `run`, and what it returned. */
const timedSync = <T>(run: () => T) => {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = run();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, value };
};

const rounded = (s: Summary): Summary => ({
  n: s.n,
  p50: round(s.p50, 2),
  p99: round(s.p99, 2),
  mean: round(s.mean, 2),
  min: round(s.min, 2),
  max: round(s.max, 2),
});

export const runGraphqlPricing = async (
  rounds: number,
  log: (line: string) => void,
): Promise<GraphqlPricingResults> => {
  const schema = graphqlSchemaOf(runtime);
  const costOf = graphqlCostOf(runtime);
  const route = graphqlRoute({ schema, introspection: false, costOf });
  const budget = { maxCost: DEFAULT_MAX_COST, maxMutations: DEFAULT_MAX_MUTATIONS, costOf };
  const shapes: Record<string, GraphqlPricingShape> = {};
  for (const [name, query] of Object.entries(worstShapes())) {
    const document = parse(query);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    const price = () => checkRequestBudget({ schema, document, operationName: operation?.name?.value ?? null, budget });
    const post = async () => {
      const event = apiEvent({
        routeKey: 'POST /graphql',
        rawPath: '/graphql',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      const start = performance.now();
      const result = (await route(event, {} as Context)) as APIGatewayProxyStructuredResultV2;
      const body = JSON.parse(result.body ?? 'null') as { errors?: { extensions?: { code?: string } }[] };
      return {
        ms: performance.now() - start,
        answered: `${result.statusCode} ${body.errors?.[0]?.extensions?.code ?? 'data'}`,
      };
    };
    // One round unmeasured: the first call of a shape compiles its paths.
    price();
    await post();
    const priceMs: number[] = [];
    const priceCpuMs: number[] = [];
    const routeMs: number[] = [];
    let priced = '';
    let answered = '';
    for (let r = 0; r < rounds; r += 1) {
      const measured = timedSync(price);
      priceMs.push(measured.ms);
      priceCpuMs.push(measured.cpuMs);
      const code = measured.value?.extensions.code;
      priced = typeof code === 'string' ? code : 'priced';
      const posted = await post();
      routeMs.push(posted.ms);
      answered = posted.answered;
    }
    const shape = {
      characters: query.length,
      priced,
      priceMs: rounded(summarise(priceMs)),
      priceCpuMs: rounded(summarise(priceCpuMs)),
      answered,
      routeMs: rounded(summarise(routeMs)),
    };
    shapes[name] = shape;
    log(
      `  11. ${name} (${query.length} characters): priced in ${shape.priceMs.p50} ms p50, ${shape.priceMs.max} ms max, ${shape.priceCpuMs.max} ms CPU max (${priced}); POST /graphql ${shape.routeMs.p50} ms p50 (${answered})`,
    );
  }
  const values = Object.values(shapes);
  const most = (of: (shape: GraphqlPricingShape) => number) => Math.max(...values.map(of));
  return {
    rounds,
    goalMs: PRICING_GOAL_MS,
    priceMsP50Max: most((s) => s.priceMs.p50),
    priceMsMax: most((s) => s.priceMs.max),
    priceCpuMsMax: most((s) => s.priceCpuMs.max),
    routeMsP50Max: most((s) => s.routeMs.p50),
    shapes,
  };
};
