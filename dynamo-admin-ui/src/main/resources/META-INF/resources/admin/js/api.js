// Calls to this node's operator API. The credentials live in sessionStorage: for this tab only,
// sent as HTTP Basic on every call (the node keeps no session). A 401 signs the operator out.

const KEY = 'dynamo.credentials';

/** An error of the API, carrying the problem document's detail in plain words. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

let onUnauthorized = () => {};

/** Sets what happens when the node refuses the credentials (back to the sign-in form). */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

export function signIn(user, password) {
  sessionStorage.setItem(KEY, btoa(unescape(encodeURIComponent(`${user}:${password}`))));
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

export function hasCredentials() {
  return sessionStorage.getItem(KEY) !== null;
}

/** Calls the node; resolves to the JSON answer, rejects with an ApiError saying what went wrong. */
export async function call(path, { method = 'GET', body } = {}) {
  // X-Requested-With: the node then answers a 401 without a Basic challenge, which would make the
  // browser open its own password prompt over the console's sign-in form.
  const headers = { Accept: 'application/json', Authorization: `Basic ${sessionStorage.getItem(KEY) ?? ''}`,
    'X-Requested-With': 'XMLHttpRequest' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, `the node did not answer (${e.message})`);
  }
  const text = await response.text();
  const json = text ? parseJson(text) : null;
  if (response.status === 401) {
    signOut();
    const detail = json?.detail ?? 'the node refused the credentials';
    onUnauthorized(detail);
    throw new ApiError(401, detail);
  }
  if (!response.ok) {
    const detail = json?.detail ?? json?.error ?? json?.title ?? (text || response.statusText);
    throw new ApiError(response.status, `${detail} (HTTP ${response.status})`);
  }
  return json;
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
