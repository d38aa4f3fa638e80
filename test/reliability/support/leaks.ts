/**
 * What must never reach a client: stack traces, file paths, and the names of what runs
 * behind the API (AWS services and their errors, the runtime, libraries, table names).
 */
const LEAK_PATTERNS: readonly RegExp[] = [
  // A stack frame: "at fn (/path/file.js:12:34)" or "at file:///…:1:2"
  /\bat\s+(?:[\w$.<>[\]]+\s+)?\(?(?:file:\/\/|node:|\/)[^\s)]*:\d+(?::\d+)?/,
  /"?(?:stack|stackTrace|errorType|errorMessage)"?\s*:/,
  // File paths and source files
  /(?:\/work\/|\/home\/|\/tmp\/|\/var\/task|\/var\/runtime|\/usr\/|\/opt\/|[A-Z]:\\\\)/,
  /node_modules/,
  /\.(?:ts|js|cjs|mjs)(?::\d+|\b)(?!\w)/,
  // What runs behind the API
  /\b(?:DynamoDB|Dynamo|ConditionalCheckFailed\w*|TransactionCanceled\w*|ValidationException|ResourceNotFound\w*|ProvisionedThroughput\w*|ThrottlingException|AccessDenied\w*|UnrecognizedClient\w*)\b/i,
  /\b(?:aws-sdk|smithy|middy|serverless|offline|lambda|hapi|boom|zod|powertools|graphql-js|undici|esbuild|java|sqlite)\b/i,
  /\b(?:TypeError|ReferenceError|SyntaxError|RangeError|EvalError|Cannot read propert\w*|is not a function|is not defined|Unexpected token|JSON\.parse|undefined is not)\b/,
  /todo-cqrs-(?:local|dev|prod|staging)/,
];

/**
 * The leaks in an answer. A match that also occurs in the request is the client's own input
 * echoed back (an id in "List <id> was not found", a key in "Unrecognized key"), not a leak.
 */
export const leaksIn = (answer: string, request: string): string[] => {
  const echo = request.toLowerCase();
  const found: string[] = [];
  for (const pattern of LEAK_PATTERNS) {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    for (const match of answer.matchAll(global)) {
      if (!echo.includes(match[0].toLowerCase())) found.push(match[0]);
    }
  }
  return found;
};
