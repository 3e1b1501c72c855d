import type { ServerResponse } from 'node:http';
import { sendHtml } from './app.js';
import { Layout } from './layout.js';

export interface SignInProps {
  /** Where to go once signed in (a local `/admin…` path). */
  next: string;
  /** What went wrong with the last try (a wrong token, too many tries). */
  error?: string;
}

/** The sign-in form: one labelled password field for the admin token. */
export function SignInPage({ next, error }: SignInProps) {
  return (
    <Layout title="Sign in">
      {error !== undefined && (
        <p class="error" role="alert" id="sign-in-error">
          {error}
        </p>
      )}
      <form method="post" action="/admin/sign-in" class="stack">
        <input type="hidden" name="next" value={next} />
        <label for="token">Admin token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          required
          aria-describedby={error !== undefined ? 'sign-in-error token-hint' : 'token-hint'}
        />
        <p id="token-hint" class="hint">
          The value of KICKBOT_ADMIN_TOKEN on this deployment.
        </p>
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}

/** The sign-in form: 200 when asked for, 401 after a wrong token (with its message). */
export function sendSignIn(res: ServerResponse, next: string, wrong = false): void {
  const error = wrong ? 'That is not the admin token. Check KICKBOT_ADMIN_TOKEN and try again.' : undefined;
  sendHtml(res, wrong ? 401 : 200, <SignInPage next={next} {...(error ? { error } : {})} />);
}
