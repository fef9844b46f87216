import { HiddenFields } from './hidden-fields.js';
import { SignInIcon } from './icons.js';
import { Layout } from './layout.js';
import { ErrorMessage, errorMessageId, Notice } from './message.js';

export interface LoginPageProps {
  /** The application the user signs in to ("Sign in to continue to `clientName`"). */
  clientName: string;
  /** Where the form posts (fields `login`, `password`, the CSRF token and `hidden`). */
  action: string;
  csrfToken: string;
  hidden?: Record<string, string>;
  /** Prefills the "Email or username" field (e.g. after a failed attempt). */
  login?: string;
  /** Shown in an alert region above the form, e.g. "Wrong email or password". */
  error?: string;
  /** Link to the signup page; omit or `null` when signup is disabled. */
  signupHref?: string | null;
  /** A neutral message above the form, e.g. "Your account was created". */
  notice?: string;
  /** One "Continue with …" button per upstream connection the app offers, above the form. */
  connections?: { displayName: string; href: string }[];
  /** Whether the app offers the password database (default true); without it, buttons only. */
  passwordForm?: boolean;
}

/**
 * The sign-in form: "Continue with …" buttons for the app's upstream connections, then "Email or
 * username" (`login`) and `password`, submitted with "Continue". Works without JavaScript.
 * Autofocuses the first empty field. It does NOT check credentials or decide the wording of
 * errors (avoid saying which of the two was wrong).
 */
export function LoginPage(props: LoginPageProps) {
  const { clientName, action, csrfToken, hidden, login, error, signupHref, notice } = props;
  const connections = props.connections ?? [];
  const passwordForm = props.passwordForm ?? true;
  const describedBy = error ? errorMessageId : undefined;
  return (
    <Layout title="Sign in">
      <div class="card-header">
        <h1>Sign in</h1>
        <p class="subtitle">
          to continue to <strong>{clientName}</strong>
        </p>
      </div>
      <Notice message={notice} />
      <ErrorMessage message={error} />
      {connections.length > 0 ? (
        <ul class="connections" aria-label="Sign in with">
          {connections.map((connection) => (
            <li>
              <a class="button button-secondary connection" href={connection.href}>
                <SignInIcon />
                <span>Continue with {connection.displayName}</span>
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {connections.length > 0 && passwordForm ? (
        <p class="divider">
          <span>or</span>
        </p>
      ) : null}
      {passwordForm ? (
        <form method="post" action={action}>
          <HiddenFields csrfToken={csrfToken} hidden={hidden} />
          <div class="fields">
            <div class="field">
              <label for="login">Email or username</label>
              <input
                id="login"
                name="login"
                type="text"
                value={login ?? ''}
                autocomplete="username"
                autocapitalize="none"
                autocorrect="off"
                spellcheck={false}
                required
                autofocus={!login}
                aria-describedby={describedBy}
                aria-invalid={error ? 'true' : undefined}
              />
            </div>
            <div class="field">
              <label for="password">Password</label>
              <input
                id="password"
                name="password"
                type="password"
                autocomplete="current-password"
                required
                autofocus={!!login}
                aria-describedby={describedBy}
                aria-invalid={error ? 'true' : undefined}
              />
            </div>
          </div>
          <button class="button button-primary" type="submit">
            Continue
          </button>
        </form>
      ) : null}
      {signupHref && passwordForm ? (
        <p class="switch">
          Don’t have an account? <a href={signupHref}>Create one</a>
        </p>
      ) : null}
    </Layout>
  );
}
