import { HiddenFields } from './hidden-fields.js';
import { CheckIcon, WardenLogo } from './icons.js';
import { initialOf } from './initial.js';
import { Layout } from './layout.js';

export interface ConsentScope {
  /** The scope as requested, e.g. `read:dragons`; shown small beside the description. */
  name: string;
  /** What granting it allows, e.g. from `describeScope`. */
  description: string;
}

export interface ConsentPageProps {
  /** The application asking for access. */
  clientName: string;
  /** Who is signed in, so a user on a shared computer notices the wrong account. */
  userName: string;
  /** Where the form posts: `decision=allow` or `decision=deny`, the CSRF token and `hidden`. */
  action: string;
  csrfToken: string;
  hidden?: Record<string, string>;
  scopes: ConsentScope[];
  /** The API the app will call on the user's behalf, when one is requested. */
  apiName?: string;
}

/**
 * The consent screen: which app asks, who is signed in, the requested scopes, and two submit
 * buttons named `decision` ("Deny" first, so a stray Enter never grants). Works without
 * JavaScript. It does NOT record the decision or filter scopes; the integrator does both.
 */
export function ConsentPage(props: ConsentPageProps) {
  const { clientName, userName, action, csrfToken, hidden, scopes, apiName } = props;
  return (
    <Layout title={`Allow ${clientName}?`}>
      <div class="card-header card-header-center">
        <div class="connect" aria-hidden="true">
          <span class="app-badge">{initialOf(clientName)}</span>
          <span class="connect-dots" />
          <span class="app-badge app-badge-warden">
            <WardenLogo size={26} />
          </span>
        </div>
        <h1>{clientName} wants to access your Warden account</h1>
        <p class="account">
          <span class="avatar" aria-hidden="true">
            {initialOf(userName)}
          </span>
          <span>
            Signed in as <strong>{userName}</strong>
          </span>
        </p>
      </div>
      {scopes.length > 0 ? (
        <>
          <p class="section-label" id="scopes-label">
            This will allow <strong>{clientName}</strong> to:
          </p>
          <ul class="scopes" aria-labelledby="scopes-label">
            {scopes.map((scope) => (
              <li class="scope">
                <CheckIcon />
                <span class="scope-text">
                  <span>{scope.description}</span>
                  <code class="scope-name">{scope.name}</code>
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {apiName ? (
        <p class="fine-print">
          {clientName} will use this access to call <strong>{apiName}</strong> on your behalf.
        </p>
      ) : (
        <p class="fine-print">Only allow apps you trust with this information.</p>
      )}
      <form method="post" action={action}>
        <HiddenFields csrfToken={csrfToken} hidden={hidden} />
        <div class="actions">
          <button class="button button-secondary" type="submit" name="decision" value="deny">
            Deny
          </button>
          <button class="button button-primary" type="submit" name="decision" value="allow">
            Allow
          </button>
        </div>
      </form>
    </Layout>
  );
}
