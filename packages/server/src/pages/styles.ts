/** Where the integrator serves {@link wardenCss}; every page links to this path. */
export const wardenCssPath = '/assets/warden.css';

/**
 * The one stylesheet of the hosted pages. Serve it at {@link wardenCssPath} with
 * `content-type: text/css; charset=utf-8`; the pages' CSP (`style-src 'self'`) allows nothing else,
 * so the pages carry no `style` attributes and no `<style>` elements. It uses system fonts only,
 * follows `prefers-color-scheme`, honours `prefers-reduced-motion` and `forced-colors`, and
 * turns the card into a full-width sheet on narrow screens.
 */
export const wardenCss = `
:root {
  color-scheme: light dark;
  --bg: #f3f4f7;
  --bg-glow: #e6e8f7;
  --surface: #ffffff;
  --surface-muted: #f7f8fa;
  --border: #dfe2e8;
  --border-strong: #c4c9d2;
  --text: #151821;
  --text-muted: #5a6272;
  --accent: #4338ca;
  --accent-hover: #3730a3;
  --accent-text: #ffffff;
  --accent-soft: #eef0fd;
  --link: #4338ca;
  --ring: #6366f1;
  --danger: #b42318;
  --danger-bg: #fef3f2;
  --danger-border: #fecdca;
  --info: #1d4ed8;
  --info-bg: #eff4ff;
  --info-border: #c7d7fe;
  --success: #067647;
  --success-bg: #ecfdf3;
  --shadow: 0 1px 2px rgb(16 24 40 / 0.04), 0 12px 32px -8px rgb(16 24 40 / 0.12);
  --radius: 14px;
  --radius-sm: 9px;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
}

@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0c0e14;
    --bg-glow: #171a33;
    --surface: #151821;
    --surface-muted: #1b1f2a;
    --border: #2a2f3c;
    --border-strong: #3b4252;
    --text: #e8eaef;
    --text-muted: #9aa3b5;
    --accent: #5b54e8;
    --accent-hover: #6d67f0;
    --accent-text: #ffffff;
    --accent-soft: #23244a;
    --link: #a5b4fc;
    --ring: #818cf8;
    --danger: #fda29b;
    --danger-bg: #2b1517;
    --danger-border: #5c2324;
    --info: #a4bcfd;
    --info-bg: #141d36;
    --info-border: #273a6b;
    --success: #75e0a7;
    --success-bg: #10291d;
    --shadow: 0 1px 2px rgb(0 0 0 / 0.3), 0 16px 40px -12px rgb(0 0 0 / 0.6);
  }
}

*,
*::before,
*::after {
  box-sizing: border-box;
}

html {
  -webkit-text-size-adjust: 100%;
  text-size-adjust: 100%;
}

body {
  margin: 0;
  min-height: 100vh;
  min-height: 100dvh;
  background: radial-gradient(ellipse 80% 50% at 50% -10%, var(--bg-glow), transparent 70%) no-repeat, var(--bg);
  color: var(--text);
  font-family: var(--font);
  font-size: 1rem;
  line-height: 1.5;
  -webkit-font-smoothing: antialiased;
}

.page {
  display: flex;
  flex-direction: column;
  align-items: center;
  min-height: 100vh;
  min-height: 100dvh;
  padding: clamp(2rem, 9vh, 5.5rem) 1rem 1.5rem;
}

.brand {
  display: flex;
  align-items: center;
  gap: 0.5rem;
  margin-bottom: 1.5rem;
  color: var(--text);
  font-size: 1.1875rem;
  font-weight: 650;
  letter-spacing: -0.01em;
}

.logo {
  display: block;
  flex: none;
}

.logo-shield {
  fill: var(--accent);
}

.logo-keyhole {
  fill: var(--accent-text);
}

.card {
  width: 100%;
  max-width: 25.5rem;
  padding: 2.25rem 2.25rem 2rem;
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: var(--radius);
  box-shadow: var(--shadow);
  overflow-wrap: anywhere;
}

.card-header {
  margin-bottom: 1.5rem;
}

.card-header-center {
  text-align: center;
}

h1 {
  margin: 0;
  font-size: 1.5rem;
  font-weight: 650;
  line-height: 1.25;
  letter-spacing: -0.015em;
  text-wrap: balance;
}

.subtitle {
  margin: 0.375rem 0 0;
  color: var(--text-muted);
}

.subtitle strong,
.prose strong,
.section-label strong,
.fine-print strong {
  color: var(--text);
  font-weight: 600;
}

p {
  margin: 0;
}

.prose {
  display: grid;
  gap: 0.75rem;
  margin-bottom: 1.5rem;
  color: var(--text-muted);
}

.prose-center {
  text-align: center;
}

a {
  color: var(--link);
  font-weight: 500;
  text-decoration: underline;
  text-decoration-thickness: 1px;
  text-underline-offset: 0.2em;
}

a:hover {
  text-decoration-thickness: 2px;
}

:focus-visible {
  outline: 3px solid var(--ring);
  outline-offset: 2px;
}

a:focus-visible {
  border-radius: 3px;
}

/* forms */

form {
  margin: 0;
}

.fields {
  display: grid;
  gap: 1.125rem;
  margin-bottom: 1.5rem;
}

.field {
  display: grid;
  gap: 0.375rem;
}

label {
  font-size: 0.9375rem;
  font-weight: 550;
}

.hint {
  color: var(--text-muted);
  font-size: 0.875rem;
}

input[type="text"],
input[type="email"],
input[type="password"] {
  width: 100%;
  height: 2.875rem;
  padding: 0 0.875rem;
  background: var(--surface);
  color: var(--text);
  border: 1px solid var(--border-strong);
  border-radius: var(--radius-sm);
  font: inherit;
  font-size: 1rem;
  transition: border-color 120ms ease, box-shadow 120ms ease;
}

input:hover {
  border-color: var(--text-muted);
}

input:focus {
  outline: 2px solid transparent;
  border-color: var(--accent);
  box-shadow: 0 0 0 3px var(--accent-soft), 0 0 0 1px var(--accent) inset;
}

input:focus-visible {
  outline: 2px solid transparent;
}

input[aria-invalid="true"] {
  border-color: var(--danger);
}

/* buttons */

.button {
  display: inline-flex;
  align-items: center;
  justify-content: center;
  gap: 0.5rem;
  width: 100%;
  min-height: 2.875rem;
  padding: 0.5rem 1.125rem;
  border: 1px solid transparent;
  border-radius: var(--radius-sm);
  font: inherit;
  font-weight: 600;
  line-height: 1.25;
  text-align: center;
  text-decoration: none;
  cursor: pointer;
  transition: background-color 120ms ease, border-color 120ms ease;
}

.button-primary {
  background: var(--accent);
  color: var(--accent-text);
  box-shadow: 0 1px 2px rgb(16 24 40 / 0.12);
}

.button-primary:hover {
  background: var(--accent-hover);
}

.button-secondary {
  background: var(--surface);
  color: var(--text);
  border-color: var(--border-strong);
}

.button-secondary:hover {
  background: var(--surface-muted);
}

a.button:hover {
  text-decoration: none;
}

.connections {
  display: grid;
  gap: 0.625rem;
  margin: 0 0 1.25rem;
  padding: 0;
  list-style: none;
}

.divider {
  display: flex;
  align-items: center;
  gap: 0.75rem;
  margin: 0 0 1.25rem;
  color: var(--text-muted);
  font-size: 0.875rem;
}

.divider::before,
.divider::after {
  content: "";
  flex: 1;
  border-top: 1px solid var(--border);
}

.actions {
  display: grid;
  grid-template-columns: 1fr 1fr;
  gap: 0.75rem;
}

/* messages */

.alert {
  display: flex;
  gap: 0.625rem;
  align-items: flex-start;
  margin-bottom: 1.25rem;
  padding: 0.75rem 0.875rem;
  border: 1px solid;
  border-radius: var(--radius-sm);
  font-size: 0.9375rem;
}

.alert .icon {
  flex: none;
  margin-top: 0.0625rem;
}

.alert-error {
  background: var(--danger-bg);
  border-color: var(--danger-border);
  color: var(--danger);
}

.alert-info {
  background: var(--info-bg);
  border-color: var(--info-border);
  color: var(--info);
}

.icon {
  display: block;
}

.status-icon {
  display: grid;
  place-items: center;
  width: 3rem;
  height: 3rem;
  margin: 0 auto 1rem;
  border-radius: 999px;
  background: var(--accent-soft);
  color: var(--accent);
}

.status-icon .icon {
  width: 1.5rem;
  height: 1.5rem;
}

.status-icon-success {
  background: var(--success-bg);
  color: var(--success);
}

.status-icon-danger {
  background: var(--danger-bg);
  color: var(--danger);
}

@media (prefers-color-scheme: dark) {
  .status-icon {
    color: var(--link);
  }
}

.switch {
  margin-top: 1.5rem;
  padding-top: 1.25rem;
  border-top: 1px solid var(--border);
  color: var(--text-muted);
  font-size: 0.9375rem;
  text-align: center;
}

.error-code {
  margin-top: 1.25rem;
  color: var(--text-muted);
  font-size: 0.8125rem;
  text-align: center;
}

code {
  font-family: var(--mono);
  font-size: 0.875em;
}

.error-code code {
  padding: 0.125rem 0.375rem;
  background: var(--surface-muted);
  border: 1px solid var(--border);
  border-radius: 5px;
}

/* consent */

.connect {
  display: flex;
  align-items: center;
  justify-content: center;
  gap: 0.625rem;
  margin-bottom: 1.25rem;
}

.app-badge {
  display: grid;
  place-items: center;
  width: 3rem;
  height: 3rem;
  border-radius: 12px;
  background: var(--accent-soft);
  color: var(--link);
  font-size: 1.375rem;
  font-weight: 700;
}

.app-badge-warden {
  background: var(--surface-muted);
  border: 1px solid var(--border);
}

.connect-dots {
  width: 2rem;
  border-top: 2px dotted var(--border-strong);
}

.account {
  display: flex;
  align-items: center;
  justify-content: center;
  gap: 0.5rem;
  width: fit-content;
  max-width: 100%;
  margin: 0.875rem auto 0;
  padding: 0.3125rem 0.75rem 0.3125rem 0.3125rem;
  background: var(--surface-muted);
  border: 1px solid var(--border);
  border-radius: 999px;
  color: var(--text-muted);
  font-size: 0.875rem;
}

.avatar {
  display: grid;
  flex: none;
  place-items: center;
  width: 1.5rem;
  height: 1.5rem;
  border-radius: 999px;
  background: var(--accent);
  color: var(--accent-text);
  font-size: 0.75rem;
  font-weight: 700;
}

.account strong {
  color: var(--text);
  font-weight: 600;
}

.section-label {
  margin-bottom: 0.625rem;
  color: var(--text-muted);
  font-size: 0.9375rem;
}

h2.section-label {
  font-weight: 600;
}

.account-email {
  color: var(--text-muted);
}

.ways {
  display: grid;
  margin: 0 0 1.5rem;
  padding: 0;
  list-style: none;
  border: 1px solid var(--border);
  border-radius: var(--radius-sm);
}

.way {
  display: flex;
  gap: 0.75rem;
  align-items: center;
  padding: 0.75rem 0.875rem;
}

.way + .way {
  border-top: 1px solid var(--border);
}

.way .icon {
  flex: none;
  color: var(--success);
}

.way-text {
  display: grid;
  flex: 1;
  gap: 0.125rem;
  min-width: 0;
  font-size: 0.9375rem;
  line-height: 1.4;
}

.way-detail {
  overflow-wrap: anywhere;
  color: var(--text-muted);
  font-size: 0.8125rem;
}

.button-small {
  width: auto;
  min-height: 2.25rem;
  padding: 0.25rem 0.75rem;
  font-size: 0.875rem;
}

.scopes {
  display: grid;
  margin: 0 0 1.25rem;
  padding: 0;
  list-style: none;
  border: 1px solid var(--border);
  border-radius: var(--radius-sm);
}

.scope {
  display: flex;
  gap: 0.75rem;
  align-items: flex-start;
  padding: 0.75rem 0.875rem;
}

.scope + .scope {
  border-top: 1px solid var(--border);
}

.scope .icon {
  flex: none;
  margin-top: 0.125rem;
  color: var(--success);
}

.scope-text {
  display: grid;
  gap: 0.125rem;
  font-size: 0.9375rem;
  line-height: 1.4;
}

.scope-name {
  color: var(--text-muted);
  font-size: 0.75rem;
}

.fine-print {
  margin-bottom: 1.5rem;
  color: var(--text-muted);
  font-size: 0.875rem;
}

.footer {
  margin-top: auto;
  padding-top: 2rem;
  color: var(--text-muted);
  font-size: 0.8125rem;
  text-align: center;
}

.footer .logo {
  display: inline-block;
  vertical-align: -0.25em;
  margin-right: 0.25rem;
}

.visually-hidden {
  position: absolute;
  width: 1px;
  height: 1px;
  margin: -1px;
  padding: 0;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
  border: 0;
}

@media (max-width: 30rem) {
  body {
    background: var(--surface);
  }

  .page {
    padding: 1.5rem 0 1rem;
  }

  .brand {
    align-self: flex-start;
    margin: 0 1.25rem 1.25rem;
  }

  .card {
    padding: 0.5rem 1.25rem 1.5rem;
    border: 0;
    border-radius: 0;
    box-shadow: none;
  }
}

@media (prefers-reduced-motion: reduce) {
  * {
    transition: none !important;
  }
}

@media (forced-colors: active) {
  .button,
  .alert,
  .card {
    border: 1px solid CanvasText;
  }

  input:focus {
    outline: 2px solid Highlight;
  }
}
`;
