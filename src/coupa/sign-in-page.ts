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
