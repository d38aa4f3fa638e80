import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { currentUser, rememberedUser, signIn, signOut, type Answer } from './api';
import { CommandLog, type LogEntry } from './CommandLog';
import { Docs } from './Docs';
import { GraphQLPanel } from './GraphQLPanel';
import { History } from './History';
import { Projections } from './Projections';
import { Reactions } from './Reactions';
import { Explorer } from './Explorer';
import { loadDeclaration, useKnown, type Declaration, type KnownModel } from './declaration';
import './styles.css';

type Route =
  | { page: 'app' }
  | { page: 'history'; name?: string; ids: string[] }
  | { page: 'projections' }
  | { page: 'docs' }
  | { page: 'graphql' };

const parseRoute = (hash: string): Route => {
  const [page, name, ...ids] = hash.replace(/^#\/?/, '').split('/');
  if (page === 'history') return { page, ...(name ? { name } : {}), ids: ids.map(decodeURIComponent) };
  if (page === 'projections' || page === 'docs' || page === 'graphql') return { page };
  return { page: 'app' };
};

const PAGES: { page: Route['page']; label: string }[] = [
  { page: 'app', label: 'Commands and queries' },
  { page: 'history', label: 'History' },
  { page: 'projections', label: 'Projections' },
  { page: 'docs', label: 'API docs' },
  { page: 'graphql', label: 'GraphQL' },
];

const SignIn = ({
  user,
  onChange,
}: {
  user: string | undefined;
  onChange: (user: string | undefined, error?: string) => void;
}) => {
  const [name, setName] = useState(user ?? '');
  const [error, setError] = useState<string>();
  // After a reload the user is signed in again a moment later: the field shows who it is.
  useEffect(() => {
    if (user) setName(user);
  }, [user]);
  const submit = async (e: Event) => {
    e.preventDefault();
    const answer = await signIn(name.trim());
    setError(answer.ok ? undefined : `${answer.error?.code}: ${answer.error?.message}`);
    onChange(answer.ok ? answer.body.user : currentUser());
  };
  return (
    <form class="signin" onSubmit={submit} aria-label="Sign in">
      <label for="user-name">User</label>
      <input
        id="user-name"
        name="user"
        value={name}
        onInput={(e) => setName(e.currentTarget.value)}
        autocomplete="username"
        required
        maxLength={128}
        pattern="[A-Za-z0-9_.@\-]+"
        placeholder="alice"
      />
      <button type="submit">{user ? 'Switch user' : 'Sign in'}</button>
      {user && (
        <button
          type="button"
          class="secondary"
          onClick={() => {
            signOut();
            onChange(undefined);
          }}
        >
          Sign out
        </button>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
};

const PageContent = ({
  route,
  user,
  record,
  declaration,
  known,
}: {
  route: Route;
  user: string | undefined;
  record: (answer: Answer<unknown>) => void;
  declaration: Declaration | string | undefined;
  known: KnownModel;
}) => {
  const needsUser = route.page === 'app' || route.page === 'history' || route.page === 'graphql';
  if (needsUser && !user)
    return (
      <p class="hint">
        Type a user name above and sign in: the console mints a local token for them, as <code>npm run token</code>{' '}
        does. Switch users to see that each sees only their own data.
      </p>
    );
  // The app's pages need its declaration; the kit's own pages do not.
  const app = typeof declaration === 'object' ? declaration : undefined;
  if ((route.page === 'app' || route.page === 'history') && !app)
    return declaration ? (
      <p class="error" role="alert">
        {declaration}
      </p>
    ) : (
      <p class="muted">Loading the app's declaration…</p>
    );
  switch (route.page) {
    case 'app':
      return app && user ? <Explorer key={user} declaration={app} known={known} user={user} record={record} /> : null;
    case 'history':
      return app ? <History key={user} declaration={app} known={known} name={route.name} ids={route.ids} /> : null;
    case 'projections':
      return (
        <>
          <Projections record={record} />
          <Reactions />
        </>
      );
    case 'docs':
      // A new renderer for each user: "Try" must never send a token of the user before.
      return <Docs key={user ?? ''} />;
    default:
      return <GraphQLPanel key={user} />;
  }
};

const App = () => {
  const [route, setRoute] = useState<Route>(parseRoute(location.hash));
  const [user, setUser] = useState<string | undefined>(currentUser());
  const [log, setLog] = useState<LogEntry[]>([]);
  const [declaration, setDeclaration] = useState<Declaration | string>();
  const known = useKnown();
  useEffect(() => {
    void loadDeclaration().then(setDeclaration);
    const onHash = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onHash);
    const remembered = rememberedUser();
    if (remembered && !currentUser()) void signIn(remembered).then((a) => a.ok && setUser(a.body.user));
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const record = (answer: Answer<unknown>) =>
    setLog((entries) => [{ id: (entries[0]?.id ?? 0) + 1, at: new Date(), answer }, ...entries].slice(0, 50));
  // RapiDoc renders a <main> of its own: on its page the console's content is no second one.
  const Main = route.page === 'docs' ? 'div' : 'main';
  return (
    <>
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link is a link; its click moves focus and leaves the hash, which is the route, alone */}
      <a
        class="skip-link"
        href="#main"
        onClick={(e) => {
          // The hash is the page's route: move focus without touching it.
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to the content
      </a>
      <header class="top">
        <h1>
          {typeof declaration === 'object' ? declaration.title : 'CQRS app'} <span>local console</span>
        </h1>
        <SignIn user={user} onChange={setUser} />
        <p class="who" aria-live="polite">
          {user ? (
            <>
              Signed in as <strong data-testid="current-user">{user}</strong>
            </>
          ) : (
            'Not signed in'
          )}
        </p>
      </header>
      <nav aria-label="Pages">
        <ul>
          {PAGES.map(({ page, label }) => (
            <li key={page}>
              <a href={`#/${page}`} aria-current={route.page === page ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <Main id="main" class="main" tabIndex={-1}>
        <PageContent route={route} user={user} record={record} declaration={declaration} known={known} />
        {(route.page === 'app' || route.page === 'projections') && <CommandLog entries={log} />}
      </Main>
    </>
  );
};

render(<App />, document.getElementById('root')!);
