/**
 * Recognising that Coupa sent us to sign in instead of the page we asked for. Real instances
 * redirect to `/sessions/new` (password) or off to another host (Coupa's SAML service, then the
 * company's identity provider, e.g. login.microsoftonline.com), so any page outside the Coupa
 * origin, or under `/sessions/`, counts as "not signed in".
 */
export function isSignInUrl(url: string, baseUrl: string): boolean {
  let page: URL;
  try {
    page = new URL(url);
  } catch {
    return false;
  }
  const base = new URL(baseUrl);
  if (page.origin !== base.origin) return true;
  return page.pathname.startsWith('/sessions/') || page.pathname === '/sessions';
}

/** CSS that matches Coupa's password form, present on the sign-in page only. */
export const SIGN_IN_FORM_SELECTOR = 'form#login_form, #user_login, #user_password';

/** Identity providers companies sign in to Coupa through (and Coupa's own SAML service). */
const IDP_HOSTS = [
  /(^|\.)login\.microsoftonline\.(com|us)$/,
  /(^|\.)login\.windows\.net$/,
  /(^|\.)okta(preview)?\.com$/,
  /(^|\.)oktapreview\.com$/,
  /(^|\.)onelogin\.com$/,
  /(^|\.)accounts\.google\.com$/,
  /(^|\.)ping(one|identity)\.(com|eu|asia)$/,
  /(^|\.)auth0\.com$/,
  /(^|\.)duosecurity\.com$/,
  /(^|\.)jumpcloud\.com$/,
  /(^|\.)(sso|prdsso|stgsso)[\w-]*\.coupahost\.com$/,
  /^(adfs|sts|fs|sso|idp|login|auth)\./,
];
/** Paths of sign-in pages on any host. */
const SIGN_IN_PATHS = /\/(saml2?|sso|adfs\/ls|idp|oauth2?\/(v2\.0\/)?authorize|login|signin|sign_in|sessions)(\/|$)/i;

/**
 * Where a file download's redirect is a bounce to sign-in rather than to the file: Coupa's own
 * sign-in pages, or an identity provider (known hosts, or a sign-in path on any host). Any other
 * host is followed: attachments are kept on storage hosts behind signed URLs.
 */
export function isSignInLanding(url: string, baseUrl: string): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.origin === new URL(baseUrl).origin) return target.pathname.startsWith('/sessions/') || target.pathname === '/sessions';
  return IDP_HOSTS.some((host) => host.test(target.hostname.toLowerCase())) || SIGN_IN_PATHS.test(target.pathname);
}

/** What a sign-in page's HTML holds: a password field, Coupa's form, a SAML hand-over, an auto-submitting form to an identity provider. */
const SIGN_IN_HTML = [
  /<input[^>]+type\s*=\s*["']?password/i,
  /id\s*=\s*["']?login_form/i,
  /name\s*=\s*["']?user\[login\]/i,
  /name\s*=\s*["']?SAML(Request|Response)/i,
  /\/sessions\/(new|saml)/i,
  /login\.microsoftonline\.com/i,
  /<form[^>]+action\s*=\s*["'][^"']*(saml|sso|signin|sign_in|login|oauth|adfs)/i,
];

/** Whether an HTML answer is a sign-in (or an automatic hand-over to one) rather than content. */
export function looksLikeSignIn(html: string): boolean {
  return SIGN_IN_HTML.some((pattern) => pattern.test(html));
}
