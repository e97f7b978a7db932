import { escapeHtml } from './html-escape.ts';
import { renderPage } from './page-shell.ts';

/** Coupa's password form (`/sessions/new`), with the Rails authenticity token. */
export function passwordFormPage(authenticityToken: string, returnTo: string, error: string | null): string {
  const flash = error === null ? '' : `<div class="flash_error">${escapeHtml(error)}</div>`;
  return renderPage({
    title: 'Sign in | Coupa',
    controller: 'sessions',
    action: 'new',
    filler: '',
    body: `${flash}<h1>Sign in</h1>
<form id="login_form" action="/sessions" method="post" accept-charset="UTF-8">
<input type="hidden" name="authenticity_token" value="${escapeHtml(authenticityToken)}">
<input type="hidden" name="return_to" value="${escapeHtml(returnTo)}">
<label for="user_login">Login</label> <input type="text" id="user_login" name="user[login]" autocomplete="username">
<label for="user_password">Password</label> <input type="password" id="user_password" name="user[password]" autocomplete="current-password">
<button type="submit" id="login_button" name="commit">Sign In</button>
</form>`,
  });
}

/** The identity provider's page: the user confirms with "Sign in" (no password: it is a stand-in). */
export function idpLoginPage(relayState: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title></head>
<body><main id="idp"><h1>Simulated identity provider</h1><p>Sign in to continue to Coupa.</p>
<form id="idp_form" action="/idp/authorize" method="post"><input type="hidden" name="RelayState" value="${escapeHtml(relayState)}">
<button type="submit" id="idp_sign_in">Sign in</button></form></main></body></html>`;
}

/** The SAML hand-back: a form that posts itself to Coupa's `/sessions/saml_post`, as real IdPs do. */
export function samlPostPage(action: string, samlResponse: string, relayState: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Working...</title></head>
<body><form id="saml_form" method="post" action="${escapeHtml(action)}">
<input type="hidden" name="SAMLResponse" value="${escapeHtml(samlResponse)}"><input type="hidden" name="RelayState" value="${escapeHtml(relayState)}">
<noscript><button type="submit">Continue</button></noscript></form>
<script>document.getElementById('saml_form').submit();</script></body></html>`;
}

/**
 * What a file URL answers when the SSO session has run out (fault `htmlBounce`): HTTP 200 with a
 * page whose form posts itself to the sign-in service, on its way to the identity provider.
 */
export function samlRequestPage(action: string, method: 'post' | 'get', fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Signing in...</title></head>
<body onload="document.forms[0].submit()"><p>Your session has ended. Taking you to sign in...</p>
<form id="saml_request_form" method="${method}" action="${escapeHtml(action)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form></body></html>`;
}
