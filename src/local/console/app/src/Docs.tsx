/**
 * The served OpenAPI document (GET /openapi.json), rendered by RapiDoc, bundled and loaded
 * only when this page opens. "Try it" goes through the console's /api passage with the
 * signed-in user's token.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { bearer } from './api';

export const Docs = () => {
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let cancelled = false;
    import('rapidoc')
      .then(() => {
        if (cancelled || !host.current) return;
        const doc = document.createElement('rapi-doc');
        const attributes: Record<string, string> = {
          'spec-url': '/api/openapi.json',
          'server-url': '/api',
          'default-api-server': '/api',
          'allow-server-selection': 'false',
          'allow-spec-url-load': 'false',
          'allow-spec-file-load': 'false',
          'allow-authentication': 'true',
          'api-key-name': 'Authorization',
          'api-key-location': 'header',
          'api-key-value': bearer(),
          'show-header': 'false',
          // RapiDoc would fetch Open Sans from a font host: the console calls nothing off this machine.
          'load-fonts': 'false',
          'render-style': 'focused',
          'nav-bg-color': '#f4f5f7',
          'primary-color': '#2457c5',
          'regular-font': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
          'mono-font': 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
          theme: 'light',
        };
        for (const [name, value] of Object.entries(attributes)) doc.setAttribute(name, value);
        doc.setAttribute('data-testid', 'openapi');
        host.current.replaceChildren(doc);
      })
      .catch((e: unknown) => setError(String(e)));
    return () => {
      cancelled = true;
    };
  }, []);
  return (
    <section class="panel docs" aria-labelledby="docs-h">
      <h2 id="docs-h">API documents</h2>
      <p class="muted">
        The OpenAPI document the API serves at{' '}
        <a href="/api/openapi.json">
          <code>/openapi.json</code>
        </a>
        , rendered by RapiDoc. “Try” sends requests as the signed-in user.
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div ref={host} class="rapidoc-host">
        <p class="muted">Loading the renderer…</p>
      </div>
    </section>
  );
};
