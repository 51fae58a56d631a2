import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { authorizationUrl, CookieJar } from '../support/oauth-client.js';
import { useServer } from '../support/use-server.js';

const ctx = useServer();
let password = '';

before(async () => {
  await ctx.ready;
  password = ctx.server.password('user');
});

/** One browser's sign-in in progress: its cookies, the page it stands on and that page's form token. */
interface Visit {
  readonly jar: CookieJar;
  readonly page: URL;
  readonly csrf: string;
  request(path: string, init?: RequestInit): Promise<Response>;
}

async function visit(jar: CookieJar, start: URL): Promise<Visit> {
  const request = (path: string, init: RequestInit = {}) => {
    const url = new URL(path, ctx.server.origin);
    return fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header(url) },
    }).then((response) => {
      jar.store(response);
      return response;
    });
  };
  let page = start;
  for (let response = await request(page.href); ; response = await request(page.href)) {
    const location = response.headers.get('location');
    if (location === null) {
      const csrf = /name="csrf" value="([^"]*)"/.exec(await response.text())?.[1] ?? '';
      return { jar, page, csrf, request };
    }
    page = new URL(location, page);
  }
}

/** A fresh authorization request, stopped at the sign-in page. */
async function atSignIn(): Promise<Visit> {
  const { url } = await authorizationUrl(ctx.server.origin, ctx.server.mcpUrl);
  return visit(new CookieJar(), url);
}

/** A fresh authorization request, signed in as `user` and stopped at the consent page. */
async function atConsent(): Promise<Visit> {
  const signIn = await atSignIn();
  const answer = await postForm(signIn, 'login', { username: 'user', password });
  assert.equal(answer.status, 303);
  return visit(signIn.jar, new URL(answer.headers.get('location') ?? '', ctx.server.origin));
}

function postForm(
  at: Visit,
  action: string,
  fields: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<Response> {
  return at.request(`${at.page.pathname}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ctx.server.origin, ...headers },
    body: new URLSearchParams({ csrf: at.csrf, ...fields }).toString(),
  });
}

/** Asserts an HTML error page with the page headers, and answers its title. */
async function errorPage(response: Response, status: number): Promise<string> {
  assert.equal(response.status, status);
  assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.equal(response.headers.get('x-frame-options'), 'DENY');
  assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  const html = await response.text();
  assert.match(html, /role="alert"/);
  return /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? '';
}

describe('sign-in page routes', () => {
  test('an unknown interaction path is a 404 page', async () => {
    const response = await fetch(`${ctx.server.origin}/interaction/abc/elsewhere`);
    assert.equal(await errorPage(response, 404), 'Not found');
  });

  test('a sign-in the browser does not hold has expired', async () => {
    const signIn = await atSignIn();
    const noCookie = await fetch(signIn.page);
    assert.equal(await errorPage(noCookie, 400), 'Sign-in expired');
    const otherUid = await signIn.request('/interaction/not-this-one');
    assert.equal(await errorPage(otherUid, 400), 'Sign-in expired');
  });

  test('the page is read with GET and its forms are sent with POST', async () => {
    const signIn = await atSignIn();
    const postPage = await signIn.request(signIn.page.pathname, { method: 'POST' });
    assert.equal(await errorPage(postPage, 405), 'Not allowed');
    assert.equal(postPage.headers.get('allow'), 'GET');
    const getForm = await signIn.request(`${signIn.page.pathname}/login`);
    assert.equal(await errorPage(getForm, 405), 'Not allowed');
    assert.equal(getForm.headers.get('allow'), 'POST');
  });
});

describe('form posts', () => {
  test('as:form-post-guards a cross-site post, a wrong form token, another format or a huge form is refused', async () => {
    const signIn = await atSignIn();
    const fields = { username: 'user', password };
    const crossSite = await postForm(signIn, 'login', fields, { origin: 'https://evil.example' });
    assert.equal(await errorPage(crossSite, 403), 'Not allowed');
    const forged = await postForm({ ...signIn, csrf: 'forged' }, 'login', fields);
    assert.equal(await errorPage(forged, 403), 'Not allowed');
    const json = await postForm(signIn, 'login', fields, { 'content-type': 'application/json' });
    assert.equal(await errorPage(json, 415), 'Unsupported form');
    const huge = await postForm(signIn, 'login', { ...fields, filler: 'x'.repeat(20_000) });
    assert.equal(await errorPage(huge, 413), 'Form too large');
    const sameSite = await postForm(signIn, 'login', fields);
    assert.equal(sameSite.status, 303, 'the same form, sent properly, signs in');
  });

  test('as:form-post-guards a post without an Origin header (older browsers) is accepted', async () => {
    const signIn = await atSignIn();
    const response = await signIn.request(`${signIn.page.pathname}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: signIn.csrf, username: 'user', password }).toString(),
    });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('cache-control'), 'no-store');
  });

  test('a form sent for the wrong step asks for a reload', async () => {
    const signIn = await atSignIn();
    assert.equal(await errorPage(await postForm(signIn, 'confirm'), 400), 'Sign in first');
    const consent = await atConsent();
    const fields = { username: 'user', password };
    assert.equal(await errorPage(await postForm(consent, 'login', fields), 400), 'Already signed in');
  });

  test('a wrong password shows the sign-in form again with 401', async () => {
    const signIn = await atSignIn();
    const response = await postForm(signIn, 'login', { username: 'user', password: 'not-it' });
    assert.equal(response.status, 401);
    const html = await response.text();
    assert.match(html, /role="alert">Wrong username or password\.</);
    assert.match(html, /name="username"[^>]*value="user"/);
  });
});

/** Asserts the headers every page of the authorization server carries, and a page without script. */
async function ourPage(response: Response): Promise<string> {
  assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(response.headers.get('x-frame-options'), 'DENY');
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  const csp = response.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /script-src/, 'no script is allowed to run');
  const html = await response.text();
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /https?:\/\/(?!localhost|127\.0\.0\.1)/, 'nothing from another host');
  assert.match(html, /<div class="brand">Todo Manager<\/div>/, 'in our look');
  return html;
}

describe("oidc-provider's own pages", () => {
  test('as:provider-pages signing out asks first, with a form and buttons, and says when it is done', async () => {
    const consent = await atConsent();
    assert.equal((await postForm(consent, 'confirm')).status, 303);
    const ask = await ourPage(await consent.request('/session/end'));
    assert.match(ask, /<form id="op\.logoutForm" method="post" action="[^"]*\/session\/end\/confirm">/);
    const xsrf = /name="xsrf" value="([^"]*)"/.exec(ask)?.[1] ?? '';
    const confirm = await consent.request('/session/end/confirm', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ctx.server.origin },
      body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
    });
    let done = confirm;
    for (let hops = 0; done.status >= 300 && done.status < 400 && hops < 5; hops += 1) {
      done = await consent.request(done.headers.get('location') ?? '/');
    }
    assert.match(await ourPage(done), /<h1>Signed out<\/h1>/);
  });

  test('as:provider-pages a page oidc-provider would submit by script is a form with a button instead', async () => {
    const page = await ourPage(await fetch(`${ctx.server.origin}/session/end`));
    assert.match(page, /<form method="post" action="[^"]*\/session\/end\/confirm">/);
    assert.match(page, /<button type="submit" autofocus>Sign out<\/button>/);
  });

  test('as:provider-pages its error pages are ours, with the same headers', async () => {
    const page = await ourPage(await fetch(`${ctx.server.origin}/auth?client_id=nobody&response_type=code`));
    assert.match(page, /<h1>Sign-in failed<\/h1>/);
  });
});
