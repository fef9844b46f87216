import { HiddenFields } from './hidden-fields.js';
import { CheckIcon, SignOutIcon } from './icons.js';
import { Layout } from './layout.js';

export interface LogoutPageProps {
  /** The application that asked for the sign-out, when known (RP-initiated logout). */
  clientName?: string;
  /** Who is signed in, when known. */
  userName?: string;
  /** Where the form posts: `decision=confirm` or `decision=cancel`, the CSRF token and `hidden`. */
  action: string;
  csrfToken: string;
  hidden?: Record<string, string>;
  /** Sign out on every device, not only this browser. */
  everywhere?: boolean;
}

/**
 * Asks "Sign out of Warden?" before ending the session, so a link or an app cannot sign the
 * user out unseen. Two submit buttons named `decision`: "Cancel" (`cancel`, first, so Enter
 * never signs out) and "Sign out" (`confirm`). It does NOT end the session.
 */
export function LogoutPage({ clientName, userName, action, csrfToken, hidden, everywhere }: LogoutPageProps) {
  return (
    <Layout title="Sign out">
      <div class="card-header card-header-center">
        <div class="status-icon" aria-hidden="true">
          <SignOutIcon />
        </div>
        <h1>{everywhere ? 'Sign out of Warden on every device?' : 'Sign out of Warden?'}</h1>
        {userName ? (
          <p class="subtitle">
            You are signed in as <strong>{userName}</strong>.
          </p>
        ) : null}
      </div>
      <div class="prose prose-center">
        {clientName ? (
          <p>
            <strong>{clientName}</strong> asked to end your Warden session.
          </p>
        ) : null}
        <p>
          {everywhere
            ? 'Every browser and device signed in to your Warden account will need to sign in again.'
            : 'You will need to sign in again to use apps that rely on your Warden account.'}
        </p>
      </div>
      <form method="post" action={action}>
        <HiddenFields csrfToken={csrfToken} hidden={hidden} />
        <div class="actions">
          <button class="button button-secondary" type="submit" name="decision" value="cancel">
            Cancel
          </button>
          <button class="button button-primary" type="submit" name="decision" value="confirm">
            Sign out
          </button>
        </div>
      </form>
    </Layout>
  );
}

export interface LoggedOutPageProps {
  /** With `returnHref`, offers "Return to `clientName`". */
  clientName?: string;
  /** A link back to the app (e.g. a validated `post_logout_redirect_uri`). */
  returnHref?: string;
}

/** Confirms that the Warden session has ended; optionally links back to the app. */
export function LoggedOutPage({ clientName, returnHref }: LoggedOutPageProps = {}) {
  return (
    <Layout title="Signed out">
      <div class="card-header card-header-center">
        <div class="status-icon status-icon-success" aria-hidden="true">
          <CheckIcon />
        </div>
        <h1>You are signed out</h1>
        <p class="subtitle">Your Warden session on this browser has ended. You can close this window.</p>
      </div>
      {returnHref ? (
        <a class="button button-secondary" href={returnHref}>
          {clientName ? `Return to ${clientName}` : 'Return to the app'}
        </a>
      ) : null}
    </Layout>
  );
}

export interface StillSignedInPageProps {
  /** Who is still signed in, when known. */
  userName?: string;
}

/**
 * Shown when the user pressed "Cancel" on the sign-out question and no app asked to get the
 * user back: says the Warden session is still active. It does NOT touch the session.
 */
export function StillSignedInPage({ userName }: StillSignedInPageProps = {}) {
  return (
    <Layout title="Still signed in">
      <div class="card-header card-header-center">
        <div class="status-icon status-icon-success" aria-hidden="true">
          <CheckIcon />
        </div>
        <h1>You are still signed in</h1>
        <p class="subtitle">
          {userName ? (
            <>
              Your Warden session as <strong>{userName}</strong> continues. You can close this window.
            </>
          ) : (
            'Your Warden session continues. You can close this window.'
          )}
        </p>
      </div>
    </Layout>
  );
}
