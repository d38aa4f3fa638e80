/**
 * The shape of GET /console/app (./appMetadata.ts builds it from the app's declaration): types only,
 * no imports, so the console's browser app (./app, its own tsconfig) reads the same definitions.
 */
/** A JSON schema as the OpenAPI document holds it (`$ref`s resolved). */
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface OperationMetadata {
  /** Its name in the declaration (= its OpenAPI operationId). */
  readonly name: string;
  readonly kind: 'command' | 'query';
  /** The stream type of the aggregate a command runs on. */
  readonly aggregate?: string;
  readonly method: string;
  readonly path: string;
  readonly summary: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly { readonly name: string; readonly required: boolean; readonly schema: JsonSchema }[];
  /** The JSON body's schema, for a command that takes one. */
  readonly body?: JsonSchema;
  /** A command that removes or archives something (DELETE): the console asks first. */
  readonly destructive: boolean;
}

/** Two queries that show one stream: its commits, and its state as of a version. */
export interface StreamHistoryMetadata {
  /** The query answering `{ items: [{ version, type, data, at, … }], nextToken? }`. */
  readonly events: string;
  /** The query answering the stream's state, with an `atVersion` query parameter. */
  readonly state?: string;
  readonly pathParams: readonly string[];
}

export interface AppMetadata {
  readonly title: string;
  readonly description: string;
  readonly aggregates: readonly { readonly streamType: string; readonly commands: readonly string[] }[];
  readonly operations: readonly OperationMetadata[];
  readonly histories: readonly StreamHistoryMetadata[];
  readonly views: readonly { readonly name: string; readonly aggregate: string; readonly kind: string }[];
  readonly reactions: readonly { readonly name: string; readonly on: string }[];
}
