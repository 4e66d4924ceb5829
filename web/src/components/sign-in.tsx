/**
 * Signing in: a user name and password on a multi-user server; on a single-user one the start-up
 * URL normally signs the browser in, and otherwise its access token can be pasted here.
 */
import { type FormEvent, useState } from 'react';
import { type Me, meSchema } from '../../../src/protocol/api.js';
import { apiSend, messageOf } from '../lib/api.js';
import { ProblemMessage } from './problem-message.js';
import { TextField } from './text-field.js';

export function SignIn({ mode, onSignedIn }: { mode: Me['mode']; onSignedIn(me: Me): void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const me =
        mode === 'multi-user'
          ? await apiSend('POST', '/auth/login', { username: username.trim(), password }, meSchema)
          : await apiSend('POST', '/auth/token', { token: token.trim() }, meSchema);
      setPassword('');
      setToken('');
      onSignedIn(me);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" id="main">
      <form className="card stack" aria-label="Sign in" onSubmit={submit}>
        <h1>Sign in</h1>
        {mode === 'multi-user' ? (
          <>
            <TextField
              label="Username"
              value={username}
              onValue={setUsername}
              autoComplete="username"
              required
            />
            <TextField
              label="Password"
              type="password"
              value={password}
              onValue={setPassword}
              autoComplete="current-password"
              required
            />
          </>
        ) : (
          <TextField
            label="Access token"
            type="password"
            value={token}
            onValue={setToken}
            autoComplete="off"
            hint="The token in the URL aws-copilot serve printed at start (…/?token=…)"
            required
          />
        )}
        {error ? <ProblemMessage message={error} /> : null}
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
