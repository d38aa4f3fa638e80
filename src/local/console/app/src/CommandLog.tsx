import type { Answer } from './api';

export interface LogEntry {
  readonly id: number;
  readonly at: Date;
  readonly answer: Answer<unknown>;
}

const versionOf = (body: unknown) =>
  body && typeof body === 'object' && 'version' in body ? (body as { version: number }).version : undefined;

/** Every command the console sent, newest first: its answer's status, version or error. */
export const CommandLog = ({ entries }: { entries: LogEntry[] }) => (
  <section class="panel log" aria-labelledby="log-h">
    <h2 id="log-h">Commands sent</h2>
    {entries.length === 0 ? (
      <p class="muted">None yet.</p>
    ) : (
      <ol data-testid="command-log">
        {entries.map(({ id, at, answer }) => {
          const version = versionOf(answer.body);
          return (
            <li key={id} class={answer.ok ? 'ok' : 'failed'}>
              <time dateTime={at.toISOString()}>{at.toLocaleTimeString()}</time>{' '}
              <code>
                {answer.method} {answer.path}
              </code>{' '}
              → <strong>{answer.status || 'no answer'}</strong>
              {version !== undefined && (
                <>
                  {' '}
                  · version <strong data-testid="answer-version">{version}</strong>
                </>
              )}
              {answer.error && (
                <span class="error">
                  {' '}
                  · <code>{answer.error.code}</code> {answer.error.message}
                </span>
              )}
              <span class="muted"> · {Math.round(answer.ms)} ms</span>
            </li>
          );
        })}
      </ol>
    )}
  </section>
);

const detailLines = (details: unknown): string[] => {
  if (details === undefined) return [];
  if (!Array.isArray(details)) return [JSON.stringify(details)];
  return details.map((d) =>
    d && typeof d === 'object' && 'message' in d
      ? `${String((d as { path?: unknown }).path ?? '') || '(body)'}: ${String((d as { message: unknown }).message)}`
      : JSON.stringify(d),
  );
};

/** A refused command's error next to its form: code, message and each of its `details`. */
export const AnswerError = ({ id, answer }: { id: string; answer: Answer<unknown> }) => {
  const error = answer.error ?? { code: `HTTP_${answer.status}`, message: 'The command was refused' };
  const lines = detailLines(error.details);
  return (
    <div class="error form-error" id={id} role="alert">
      <code>{error.code}</code> {error.message}
      {lines.length > 0 && (
        <ul>
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </div>
  );
};
