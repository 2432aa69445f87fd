// The console's entry point: the sign-in form, then a poll of this node every POLL_MS that
// redraws every panel. Nothing of the cluster is asked for before the credentials work.

import { call, signIn, signOut, hasCredentials, whenUnauthorized } from './api.js';
import { show } from './dom.js';
import { renderRing } from './ring.js';
import { setUpMembers, renderMembers } from './members.js';
import { renderChange, renderTransfers, renderHints, renderTruncations, renderAntiEntropy } from './panels.js';
import { addSample } from './charts.js';
import { setUpLookup } from './lookup.js';

const POLL_MS = 1500;
let timer = null;
/** Counts sign-ins and sign-outs: a poll that answers after either belongs to a finished session and stops. */
let session = 0;

function showSignIn(reason) {
  clearTimeout(timer);
  timer = null;
  session++;
  document.getElementById('console').hidden = true;
  document.getElementById('signin').hidden = false;
  show('signin-error', reason ?? '');
  document.getElementById('user').focus();
}

function showConsole() {
  document.getElementById('signin').hidden = true;
  document.getElementById('console').hidden = false;
}

/** Tells the operator what an action did, or why it failed, in plain words. */
function say(text, isError = false) {
  const message = document.getElementById('action-message');
  message.textContent = `${new Date().toLocaleTimeString()}: ${text}`;
  message.classList.toggle('error', isError);
  message.setAttribute('role', isError ? 'alert' : 'status');
  message.hidden = false;
}

async function refresh(polling) {
  try {
    const [ring, members, status, truncations] = await Promise.all([
      call('/actuator/ring'), call('/admin/api/members'), call('/admin/api/status'), call('/admin/api/truncations')]);
    if (polling !== session) {
      return;
    }
    showConsole();
    show('node-name', `node ${ring.self}${ring.cluster ? ` of cluster ${ring.cluster}` : ''}`);
    renderRing(ring);
    renderMembers(ring, members);
    renderChange(members);
    renderTransfers(ring.transfers);
    renderHints(status);
    renderTruncations(truncations);
    renderAntiEntropy(ring, status);
    addSample(status);
    show('refresh-state', `Updated ${new Date().toLocaleTimeString()}`);
  } catch (e) {
    if (e.status === 401 || polling !== session) {
      return; // back at the sign-in form, or signed out meanwhile
    }
    if (document.getElementById('console').hidden) {
      show('signin-error', `Could not sign in: ${e.message}`);
      return;
    }
    show('refresh-state', `Refresh failed: ${e.message}`);
  }
  timer = setTimeout(() => refresh(polling), POLL_MS);
}

function start() {
  whenUnauthorized(showSignIn);
  setUpMembers(say);
  setUpLookup();
  document.getElementById('signin-form').addEventListener('submit', event => {
    event.preventDefault();
    signIn(document.getElementById('user').value, document.getElementById('password').value);
    document.getElementById('password').value = '';
    show('signin-error');
    session++;
    refresh(session);
  });
  document.getElementById('signout').addEventListener('click', () => {
    signOut();
    showSignIn('Signed out.');
  });
  if (hasCredentials()) {
    refresh(session);
  } else {
    showSignIn();
  }
}

start();
