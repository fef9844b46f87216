import { HiddenFields } from './hidden-fields.js';
import { CheckIcon, SignInIcon } from './icons.js';
import { initialOf } from './initial.js';
import { Layout } from './layout.js';
import { ErrorMessage, Notice } from './message.js';

/** One way the user signs in, as the account page lists it. */
export interface SignInWay {
  /** "Email and password", or the connection's display name. */
  label: string;
  /** Which account there: the email, or the upstream's name for it. */
  detail?: string;
  /** The unlink form's fields; absent for the password and for the last way left. */
  unlink?: { connection: string; upstreamId: string };
}

export interface AccountPageProps {
  userName: string;
  email?: string;
  ways: SignInWay[];
  /**
   * Upstream connections the user can link, each with its link: a GET carrying the session's CSRF
   * token (a link, not a form: the way continues to the upstream's origin, which a form's
   * `form-action` policy would have to name).
   */
  linkable: { displayName: string; href: string }[];
  csrfToken: string;
  notice?: string;
  error?: string;
  /** Where "Sign out" goes. */
  logoutHref: string;
}

/**
 * The account page: who is signed in, the ways they sign in (a password, upstream accounts) with
 * an "Unlink" button beside each that is not the last, and a "Link" button per upstream connection
 * not linked yet. Every action carries the session's CSRF token; works without JavaScript. It does
 * NOT decide what may be unlinked (the handler does).
 */
export function AccountPage(props: AccountPageProps) {
  const { userName, email, ways, linkable, csrfToken, notice, error, logoutHref } = props;
  return (
    <Layout title="Your account">
      <div class="card-header">
        <h1>Your account</h1>
        <p class="account">
          <span class="avatar" aria-hidden="true">
            {initialOf(userName)}
          </span>
          <span>
            Signed in as <strong>{userName}</strong>
            {email && email !== userName ? <span class="account-email"> ({email})</span> : null}
          </span>
        </p>
      </div>
      <Notice message={notice} />
      <ErrorMessage message={error} />
      <h2 class="section-label" id="ways-label">
        Ways you sign in
      </h2>
      <ul class="ways" aria-labelledby="ways-label">
        {ways.map((way) => (
          <li class="way">
            <CheckIcon />
            <span class="way-text">
              <span>{way.label}</span>
              {way.detail ? <span class="way-detail">{way.detail}</span> : null}
            </span>
            {way.unlink ? (
              <form method="post" action="/account/unlink">
                <HiddenFields
                  csrfToken={csrfToken}
                  hidden={{ connection: way.unlink.connection, upstream_id: way.unlink.upstreamId }}
                />
                <button class="button button-secondary button-small" type="submit">
                  Unlink<span class="visually-hidden"> {way.label}</span>
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      {linkable.length > 0 ? (
        <>
          <h2 class="section-label" id="link-label">
            Link another account
          </h2>
          <p class="fine-print">You sign in there once; afterwards either way signs you in here.</p>
          <ul class="connections" aria-labelledby="link-label">
            {linkable.map((connection) => (
              <li>
                <a class="button button-secondary connection" href={connection.href}>
                  <SignInIcon />
                  <span>{`Link your ${connection.displayName} account`}</span>
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p class="switch">
        <a href={logoutHref}>Sign out</a>
      </p>
    </Layout>
  );
}
