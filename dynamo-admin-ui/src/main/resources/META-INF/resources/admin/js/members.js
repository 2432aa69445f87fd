// The members table and the two membership actions: add a node by address, remove one after a
// confirmation that says how much data will move.

import { call } from './api.js';
import { el, show, showChanged, bytes } from './dom.js';
import { colours } from './ring.js';

let report = () => {};

/** Wires the add form and the removal dialog; {@code say(text, isError)} tells the operator the outcome. */
export function setUpMembers(say) {
  report = say;
  document.getElementById('add-form').addEventListener('submit', async event => {
    event.preventDefault();
    const input = document.getElementById('add-address');
    const button = document.getElementById('add-button');
    button.disabled = true;
    try {
      const added = await call('/admin/api/members', { method: 'POST', body: { address: input.value.trim() } });
      report(`${added.id} (${added.address}) is ${added.status.toLowerCase()}: the ring changes once it has copied its partitions.`);
      input.value = '';
    } catch (e) {
      report(`Could not add ${input.value.trim()}: ${e.message}`, true);
    } finally {
      button.disabled = false;
    }
  });
}

/** Redraws the members from the ring document and the members document. */
export function renderMembers(ring, members) {
  showChanged('members-body', [members.self, members.members, ring.members, ring.partitions],
    () => memberRows(ring, members));
}

function memberRows(ring, members) {
  const colour = colours(ring.members);
  const total = ring.partitions || 1;
  const rows = members.members.map(m => {
    const after = m.partitionsAfterChange === null ? '' : ` → ${m.partitionsAfterChange}`;
    const removable = m.status === 'UP' || m.status === 'JOINING';
    return el('tr', { 'data-id': m.id, 'data-status': m.status },
      el('td', {}, el('span', { class: 'swatch', style: `background:${colour.get(m.id) ?? '#999'}` }), m.id,
        m.id === members.self ? ' (this node)' : ''),
      el('td', { 'data-label': 'Address' }, el('code', {}, m.address)),
      el('td', { 'data-label': 'Zone' }, m.zone || '—'),
      el('td', { 'data-label': 'Status', class: `status-${m.status.toLowerCase()}` }, m.status.toLowerCase()),
      el('td', { 'data-label': 'Seen from here', class: `reach-${m.reachability}` }, m.reachability),
      el('td', { 'data-label': 'Partitions', class: 'num' }, `${m.partitions}${after}`),
      el('td', { 'data-label': 'Load', class: 'num' }, `${((100 * m.partitions) / total).toFixed(1)} %`),
      el('td', {}, removable ? el('button', { type: 'button', class: 'secondary remove',
        'aria-label': `Remove ${m.id}`, onclick: () => confirmRemoval(m) }, 'Remove') : ''));
  });
  return rows;
}

async function confirmRemoval(member) {
  let preview;
  try {
    preview = await call(`/admin/api/members/${encodeURIComponent(member.id)}/removal`);
  } catch (e) {
    report(`Cannot remove ${member.id}: ${e.message}`, true);
    return;
  }
  show('remove-summary', `Removing ${member.id} (${member.address}) moves its ${preview.partitionsOwned} partitions `
    + `to the other nodes: ${preview.partitionsChangingOwner} partitions change owner and `
    + `${preview.replicaCopies} partition replicas are copied, about ${bytes(preview.estimatedBytes)} of data `
    + '(estimated from the size of this node\'s store).');
  const dialog = document.getElementById('remove-dialog');
  dialog.returnValue = '';
  dialog.addEventListener('close', async () => {
    if (dialog.returnValue !== 'confirm') {
      return;
    }
    try {
      const leaving = await call(`/admin/api/members/${encodeURIComponent(member.id)}`, { method: 'DELETE' });
      report(`${leaving.id} is ${leaving.status.toLowerCase()}: the others copy its partitions, then it is removed.`);
    } catch (e) {
      report(`Could not remove ${member.id}: ${e.message}`, true);
    }
  }, { once: true });
  dialog.showModal();
  document.getElementById('remove-cancel').focus();
}
