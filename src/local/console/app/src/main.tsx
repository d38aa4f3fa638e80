import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { currentUser, rememberedUser, signIn, signOut, type Answer } from './api';
import { CommandLog, type LogEntry } from './CommandLog';
import { Docs } from './Docs';
import { GraphQLPanel } from './GraphQLPanel';
import { History } from './History';
import { Projections } from './Projections';
import { Reactions } from './Reactions';
import { TodoApp } from './TodoApp';
import './styles.css';

type Route =
  | { page: 'app'; listId?: string }
  | { page: 'history'; listId?: string }
  | { page: 'projections' }
  | { page: 'docs' }
  | { page: 'graphql' };

const parseRoute = (hash: string): Route => {
  const [page, listId] = hash.replace(/^#\/?/, '').split('/');
  if (page === 'history') return listId ? { page, listId } : { page };
  if (page === 'projections' || page === 'docs' || page === 'graphql') return { page };
  return listId ? { page: 'app', listId } : { page: 'app' };
};

const PAGES: { page: Route['page']; label: string }[] = [
  { page: 'app', label: 'Todo app' },
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

const App = () => {
  const [route, setRoute] = useState<Route>(parseRoute(location.hash));
  const [user, setUser] = useState<string | undefined>(currentUser());
  const [log, setLog] = useState<LogEntry[]>([]);
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onHash);
    const remembered = rememberedUser();
    if (remembered && !currentUser()) void signIn(remembered).then((a) => a.ok && setUser(a.body.user));
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const record = (answer: Answer<unknown>) =>
    setLog((entries) => [{ id: (entries[0]?.id ?? 0) + 1, at: new Date(), answer }, ...entries].slice(0, 50));
  const needsUser = route.page === 'app' || route.page === 'history' || route.page === 'graphql';
  return (
    <>
      <header class="top">
        <h1>
          todo-cqrs <span>local console</span>
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
      <main>
        {needsUser && !user ? (
          <p class="hint">
            Type a user name above and sign in: the console mints a local token for them, as <code>npm run token</code>{' '}
            does. Switch users to see that each sees only their own lists.
          </p>
        ) : route.page === 'app' ? (
          <TodoApp key={user} user={user!} listId={route.listId} record={record} />
        ) : route.page === 'history' ? (
          <History key={user} listId={route.listId} />
        ) : route.page === 'projections' ? (
          <>
            <Projections record={record} />
            <Reactions />
          </>
        ) : route.page === 'docs' ? (
          <Docs />
        ) : (
          <GraphQLPanel key={user} />
        )}
        {(route.page === 'app' || route.page === 'projections') && <CommandLog entries={log} />}
      </main>
    </>
  );
};

render(<App />, document.getElementById('root')!);
