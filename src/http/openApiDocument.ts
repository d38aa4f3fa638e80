import * as z from 'zod/mini';
import type { Schema } from './schema';
import type { ApiRequestHeader, ApiResponse, ApiRoute } from './apiRoute';

type JsonSchema = Record<string, unknown>;

/** Who answers for the API (OpenAPI's Contact Object). */
export interface ApiContact {
  readonly name?: string;
  readonly url?: string;
  readonly email?: string;
}

/** The API's license: an SPDX `identifier` (`MIT`) or a `url` to its text. */
export type ApiLicense = { readonly name: string } & (
  | { readonly identifier: string; readonly url?: never }
  | { readonly url: string; readonly identifier?: never }
);

/** Where the API is served; `{name}` in the URL is one of its `variables`. */
export interface ApiServer {
  readonly url: string;
  readonly description?: string;
  readonly variables?: Readonly<
    Record<string, { readonly default: string; readonly description?: string; readonly enum?: readonly string[] }>
  >;
}

export interface OpenApiOptions {
  readonly info: {
    readonly title: string;
    readonly version: string;
    readonly description?: string;
    readonly contact?: ApiContact;
    readonly license?: ApiLicense;
  };
  readonly servers?: readonly ApiServer[];
  /** What each tag the routes use means; every used tag is listed, in this order first. */
  readonly tags?: readonly { readonly name: string; readonly description: string }[];
  /**
   * Answers every operation can get from in front of the app (a gateway's throttling, its own
   * failures), by status (`429`, `5XX`): added where a route does not declare that status.
   */
  readonly everyOperation?: Readonly<Record<string, ApiResponse>>;
  /** The route table, keyed by operation id. */
  readonly routes: Readonly<Record<string, ApiRoute>>;
}

const COMPONENTS = '#/components/schemas/';

/**
 * Turns zod schemas into OpenAPI 3.1 schemas (JSON Schema 2020-12). Schemas named with
 * `.meta({ id })` become shared components; the same name must mean the same JSON Schema
 * everywhere, in requests and answers alike.
 */
class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  schema(schema: Schema, io: 'input' | 'output'): JsonSchema {
    const {
      $schema: _dialect,
      $defs = {},
      ...rest
    } = z.toJSONSchema(schema, { io, target: 'draft-2020-12' }) as JsonSchema & {
      $defs?: Record<string, JsonSchema>;
    };
    const relink = (value: unknown): JsonSchema =>
      JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', `"${COMPONENTS}`));
    for (const [name, def] of Object.entries($defs)) {
      const relinked = relink(def);
      const known = this.components[name];
      if (known !== undefined && JSON.stringify(known) !== JSON.stringify(relinked)) {
        throw new Error(
          `Schema ${name} means two different things (in a request and an answer?); give one of them another id`,
        );
      }
      this.components[name] = relinked;
    }
    return relink(rest);
  }

  /** Path or query parameters: one per property of an object schema. */
  parameters(schema: Schema | undefined, where: 'path' | 'query'): JsonSchema[] {
    if (!schema) return [];
    const object = this.schema(schema, 'input') as {
      properties?: Record<string, JsonSchema & { description?: string }>;
      required?: string[];
    };
    return Object.entries(object.properties ?? {}).map(([name, property]) => ({
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      ...(property.description ? { description: property.description } : {}),
      schema: property,
    }));
  }

  readonly responses: Record<string, JsonSchema> = {};
  readonly parameterComponents: Record<string, JsonSchema> = {};

  /** A header parameter, kept once in the components and referred to. */
  header(header: ApiRequestHeader): JsonSchema {
    this.parameterComponents[header.id] ??= {
      name: header.name,
      in: 'header',
      required: false,
      description: header.description,
      schema: this.schema(header.schema, 'input'),
    };
    return { $ref: `#/components/parameters/${header.id}` };
  }

  /** An answer: inline, or (with an `id`) kept once in the components and referred to. */
  response(response: ApiResponse): JsonSchema {
    if (response.id === undefined) return this.inlineResponse(response);
    this.responses[response.id] ??= this.inlineResponse(response);
    return { $ref: `#/components/responses/${response.id}` };
  }

  private inlineResponse(response: ApiResponse): JsonSchema {
    return {
      description: response.description,
      ...(response.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(response.headers).map(([name, header]) => [
                name,
                { description: header.description, schema: this.schema(header.schema, 'output') },
              ]),
            ),
          }
        : {}),
      content: { 'application/json': { schema: this.schema(response.schema, 'output') } },
    };
  }
}

/**
 * The OpenAPI 3.1 document of a route table, generated from the zod schemas that validate
 * the requests and shape the answers, so it cannot drift from what the routes do.
 */
export const openApiDocument = (options: OpenApiOptions) => {
  const schemas = new SchemaCollector();
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [operationId, route] of Object.entries(options.routes)) {
    const { request } = route;
    const operation: JsonSchema = {
      operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      ...(route.tags ? { tags: [...route.tags] } : {}),
      security: route.auth === 'jwt' ? [{ bearerAuth: [] }] : [],
    };
    const parameters = [
      ...schemas.parameters(request.params, 'path'),
      ...schemas.parameters(request.query, 'query'),
      ...(route.headers ?? []).map((header) => schemas.header(header)),
    ];
    if (parameters.length > 0) operation.parameters = parameters;
    if (request.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: schemas.schema(request.body, 'input') } },
      };
    }
    const responses = { ...options.everyOperation, ...route.responses } as Record<string, ApiResponse>;
    operation.responses = Object.fromEntries(
      Object.keys(responses)
        .sort()
        .map((status) => [status, schemas.response(responses[status]!)]),
    );
    const item = paths[route.path] ?? {};
    item[route.method.toLowerCase()] = operation;
    paths[route.path] = item;
  }
  const used = new Set(Object.values(options.routes).flatMap((route) => route.tags ?? []));
  const described = (options.tags ?? []).filter((tag) => used.has(tag.name));
  const tags = [
    ...described.map((tag) => ({ name: tag.name, description: tag.description })),
    ...[...used].filter((name) => !described.some((tag) => tag.name === name)).map((name) => ({ name })),
  ];
  return {
    openapi: '3.1.0',
    info: { ...options.info },
    ...(options.servers ? { servers: options.servers.map((server) => ({ ...server })) } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    paths,
    components: {
      schemas: schemas.components,
      ...(Object.keys(schemas.parameterComponents).length > 0 ? { parameters: schemas.parameterComponents } : {}),
      ...(Object.keys(schemas.responses).length > 0 ? { responses: schemas.responses } : {}),
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "The caller is the token's `sub`; the gateway's JWT authorizer checks issuer, audience and expiry.",
        },
      },
    },
  };
};

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
