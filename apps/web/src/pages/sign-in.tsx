import { useState, type FormEvent } from 'react';
import { signIn } from '../lib/auth';

/** Until user accounts exist, the admin token printed by `npm start` opens the app. */
export function SignInPage() {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const response = await fetch('/api/workspace', {
      headers: { authorization: `Bearer ${token.trim()}` },
    }).catch(() => null);
    if (!response)
      return setProblem('Relance could not be reached. Check that the server is running.');
    if (response.status === 401)
      return setProblem('That token is not valid. Copy the admin token printed by npm start.');
    if (!response.ok) return setProblem(`The server answered ${response.status}.`);
    signIn(token);
  }

  return (
    <div className="sign-in">
      <form onSubmit={(e) => void submit(e)} className="card">
        <h1>
          <img src="/favicon.svg" alt="" width={28} height={28} /> Relance
        </h1>
        <label htmlFor="token">Admin token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          placeholder="rl_admin_…"
          aria-describedby="token-help"
          required
        />
        <p id="token-help" className="muted">
          <code>npm start</code> prints it, with a link that signs you in. It is also stored in{' '}
          <code>.relance/secrets.json</code>.
        </p>
        {problem && (
          <p className="notice error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="primary">
          Sign in
        </button>
      </form>
    </div>
  );
}
