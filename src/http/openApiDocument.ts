import * as z from 'zod/mini';
import type { Schema } from './schema';
import type { ApiResponse, ApiRoute } from './apiRoute';

type JsonSchema = Record<string, unknown>;

export interface OpenApiOptions {
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
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

  response(response: ApiResponse): JsonSchema {
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
    const parameters = [...schemas.parameters(request.params, 'path'), ...schemas.parameters(request.query, 'query')];
    if (parameters.length > 0) operation.parameters = parameters;
    if (request.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: schemas.schema(request.body, 'input') } },
      };
    }
    operation.responses = Object.fromEntries(
      Object.entries(route.responses).map(([status, response]) => [status, schemas.response(response)]),
    );
    const item = paths[route.path] ?? {};
    item[route.method.toLowerCase()] = operation;
    paths[route.path] = item;
  }
  return {
    openapi: '3.1.0',
    info: { ...options.info },
    paths,
    components: {
      schemas: schemas.components,
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
