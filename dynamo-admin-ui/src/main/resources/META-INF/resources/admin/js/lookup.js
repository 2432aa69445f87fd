// Key lookup: a key's partition, preference list, and each replica's versions and siblings as
// that replica holds them.

import { call } from './api.js';
import { el, show, table } from './dom.js';

export function setUpLookup() {
  document.getElementById('lookup-form').addEventListener('submit', async event => {
    event.preventDefault();
    const bucket = document.getElementById('lookup-bucket').value;
    const key = document.getElementById('lookup-key').value;
    show('lookup-result', el('p', { class: 'muted' }, `Asking the replicas of ${bucket}/${key}…`));
    try {
      const found = await call(`/actuator/ring/${encodeURIComponent(bucket)}/${encodeURIComponent(key)}`);
      show('lookup-result', render(found));
    } catch (e) {
      show('lookup-result', el('p', { class: 'error', role: 'alert' }, `Lookup of ${bucket}/${key} failed: ${e.message}`));
    }
  });
}

function render(found) {
  return [
    el('p', {}, `${found.bucket}/${found.key} is in partition ${found.partition} (position ${found.position}); `
      + `preference list ${found.preferenceList.join(', ')}.`),
    found.replicas.map(r => el('div', { class: 'replica', 'data-node': r.node },
      el('h3', {}, `${r.node} `, el('code', {}, r.address)),
      r.error ? el('p', { class: 'error' }, `did not answer: ${r.error}`)
        : r.siblings.length === 0 ? el('p', { class: 'muted' }, 'holds no version of this key')
          : [el('p', {}, `version vector ${Object.entries(r.clock).map(([node, n]) => `${node}:${n}`).join(', ') || 'empty'}`
              + (r.siblings.length > 1 ? `; ${r.siblings.length} siblings` : '')),
            table(['Dot', 'Written', 'Content type', 'Size', 'Value'], r.siblings.map(s => [
              s.dot, new Date(s.timestamp).toISOString(), s.contentType ?? '', { num: `${s.size} B` },
              s.tombstone ? 'deleted (tombstone)' : el('code', {}, value(s)),
            ]))]))];
}

/** A sibling's value as text when it is UTF-8 text, else as base64; a large one by size only. */
function value(sibling) {
  if (sibling.valueBase64 === null) {
    return '(too large to show)';
  }
  const raw = Uint8Array.from(atob(sibling.valueBase64), c => c.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return `base64 ${sibling.valueBase64}`;
  }
}
