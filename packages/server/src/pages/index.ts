export { ConsentPage, type ConsentPageProps, type ConsentScope } from './consent-page.js';
export { ErrorPage, type ErrorPageProps } from './error-page.js';
export {
  FormPostPage,
  type FormPostPageProps,
  formPostScript,
  formPostScriptHash,
} from './form-post-page.js';
export { csrfFieldName } from './hidden-fields.js';
export { WardenLogo } from './icons.js';
export { Layout, type LayoutProps } from './layout.js';
export { LoginPage, type LoginPageProps } from './login-page.js';
export {
  LoggedOutPage,
  type LoggedOutPageProps,
  LogoutPage,
  type LogoutPageProps,
  StillSignedInPage,
  type StillSignedInPageProps,
} from './logout-page.js';
export { renderPage } from './render.js';
export { describeScope, describeScopes } from './scope-descriptions.js';
export { minPasswordLength, SignupPage, type SignupPageProps, type SignupPurpose } from './signup-page.js';
export { wardenCss, wardenCssPath } from './styles.js';
