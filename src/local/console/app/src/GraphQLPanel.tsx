/**
 * A small GraphQL editor against POST /graphql: the query and its variables, checked against
 * the API's own schema (introspection, local stage only) before they are sent, and the schema
 * shown as SDL. The graphql package is loaded only when this page opens.
 */
import { useEffect, useState } from 'preact/hooks';
import { apiCall } from './api';

type GraphQL = typeof import('graphql');

/**
 * A first query from the schema itself: each root field that needs no argument, with its scalar
 * fields and those of the objects (and lists of objects) right below it.
 */
export const exampleQuery = (lib: GraphQL, schema: import('graphql').GraphQLSchema): string => {
  const fields = Object.values(schema.getQueryType()?.getFields() ?? {}).filter((f) =>
    f.args.every((a) => !lib.isNonNullType(a.type)),
  );
  const selection = (type: import('graphql').GraphQLOutputType, depth: number): string => {
    const named = lib.getNamedType(type);
    if (!lib.isObjectType(named)) return '';
    const inner = Object.values(named.getFields())
      .filter((f) => f.args.every((a) => !lib.isNonNullType(a.type)))
      .map((f) =>
        lib.isLeafType(lib.getNamedType(f.type))
          ? f.name
          : depth < 1
            ? `${f.name} ${selection(f.type, depth + 1)}`
            : '',
      )
      .filter((f) => f !== '' && !f.endsWith(' '));
    return inner.length > 0 ? `{ ${inner.join(' ')} }` : '';
  };
  const roots = fields.map((f) => `  ${f.name} ${selection(f.type, 0)}`.trimEnd());
  return `query Example {\n${roots.join('\n')}\n}\n`;
};

export const GraphQLPanel = () => {
  const [graphql, setGraphql] = useState<GraphQL>();
  const [schema, setSchema] = useState<import('graphql').GraphQLSchema>();
  const [query, setQuery] = useState('');
  const [variables, setVariables] = useState('{}');
  const [result, setResult] = useState<string>();
  const [problems, setProblems] = useState<string[]>([]);
  const [running, setRunning] = useState(false);

  useEffect(() => {
    void (async () => {
      const lib = await import('graphql');
      setGraphql(lib);
      const answer = await apiCall<{ data?: import('graphql').IntrospectionQuery }>('POST', '/graphql', {
        query: lib.getIntrospectionQuery(),
      });
      if (answer.ok && answer.body.data) {
        const built = lib.buildClientSchema(answer.body.data);
        setSchema(built);
        setQuery((q) => q || exampleQuery(lib, built));
      } else
        setProblems([
          `The schema could not be read: ${answer.status} ${answer.error?.code ?? ''} ${answer.error?.message ?? ''}`,
        ]);
    })();
  }, []);

  useEffect(() => {
    if (!graphql || !schema) return;
    try {
      setProblems(graphql.validate(schema, graphql.parse(query)).map((e) => e.message));
    } catch (e) {
      setProblems([e instanceof Error ? e.message : String(e)]);
    }
  }, [graphql, schema, query]);

  const run = async (e: Event) => {
    e.preventDefault();
    let vars: unknown;
    try {
      vars = JSON.parse(variables || '{}');
    } catch {
      setResult('Variables are not JSON');
      return;
    }
    setRunning(true);
    const answer = await apiCall('POST', '/graphql', { query, variables: vars });
    setRunning(false);
    setResult(
      `${answer.status} · ${Math.round(answer.ms)} ms\n${JSON.stringify(answer.body ?? answer.error, null, 2)}`,
    );
  };

  return (
    <div class="graphql">
      <section class="panel" aria-labelledby="gql-h">
        <h2 id="gql-h">GraphQL</h2>
        <form onSubmit={run} class="gql-form">
          <label for="gql-query">Query</label>
          <textarea
            id="gql-query"
            rows={12}
            spellcheck={false}
            value={query}
            onInput={(e) => setQuery(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
          <label for="gql-variables">Variables (JSON)</label>
          <textarea
            id="gql-variables"
            rows={3}
            spellcheck={false}
            value={variables}
            onInput={(e) => setVariables(e.currentTarget.value)}
          />
          <div class="toolbar">
            <button type="submit" disabled={running}>
              {running ? 'Running…' : 'Run (Ctrl+Enter)'}
            </button>
            <span class={problems.length ? 'error' : 'good'} role="status">
              {!schema ? '' : problems.length ? problems.join(' · ') : 'Valid against the schema'}
            </span>
          </div>
        </form>
        <h3>Result</h3>
        <pre data-testid="gql-result" class="result-pre" aria-live="polite">
          {result ?? '—'}
        </pre>
      </section>
      <section class="panel" aria-labelledby="sdl-h">
        <h2 id="sdl-h">Schema</h2>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the schema scrolls; a keyboard user must be able to focus it to scroll it */}
        <section class="sdl" tabIndex={0} aria-label="GraphQL schema (SDL)">
          <pre class="small">{schema && graphql ? graphql.printSchema(schema) : 'Loading…'}</pre>
        </section>
      </section>
    </div>
  );
};
