// The live panels besides the ring and the members: the ring change under way, this node's
// transfers, its hint queues, its bucket truncations and its anti-entropy state.

import { el, show, showChanged, table, bytes, duration, clock } from './dom.js';

/** The ring version when the page first looked: a newer one with no change under way is a completed change. */
let firstVersion = null;

export function renderChange(members) {
  const box = document.getElementById('change');
  const change = members.change;
  firstVersion ??= members.ringVersion;
  if (change) {
    const states = Object.entries(change.progress);
    const ready = states.filter(([, state]) => state === 'ready').length;
    box.dataset.state = 'running';
    box.dataset.version = change.nextRingVersion;
    box.replaceChildren(
      el('p', {}, `Moving to ring version ${change.nextRingVersion}: ${ready} of ${states.length} nodes have copied `
        + 'the partitions they take on.'),
      el('progress', { id: 'change-progress', max: states.length, value: ready,
        'aria-label': 'Nodes ready for the next ring' }),
      el('ul', {}, states.map(([id, state]) => el('li', {}, `${id}: ${state}`))));
  } else if (members.ringVersion !== null && members.ringVersion > firstVersion) {
    box.dataset.state = 'complete';
    box.dataset.version = members.ringVersion;
    box.replaceChildren(
      el('p', {}, `The change to ring version ${members.ringVersion} is complete: every node copied the partitions `
        + 'it takes on.'),
      el('progress', { id: 'change-progress', max: 1, value: 1, 'aria-label': 'Nodes ready for the next ring' }));
  } else {
    box.dataset.state = 'idle';
    box.dataset.version = members.ringVersion ?? '';
    box.replaceChildren(el('p', { class: 'muted' }, `No ring change under way (ring version ${members.ringVersion ?? 'none'}).`));
  }
}

/**
 * Partitions copied to this node since the page opened, with their bytes: the node lists a finished
 * transfer only until its ring change completes, and forgets only finished ones.
 */
const copied = new Map();
/** The transfers last listed unfinished, by partition. */
const unfinished = new Map();
/** Bytes copied to this node in all, sampled at each poll over the last RATE_SECONDS: the overall rate. */
const progressSamples = [];
const RATE_SECONDS = 10;

/** Bytes per second over the last RATE_SECONDS, from the bytes copied so far; null before two samples. */
function overallRate(bytesSoFar) {
  const now = Date.now() / 1000;
  progressSamples.push({ now, bytesSoFar });
  while (progressSamples.length > 2 && progressSamples[0].now < now - RATE_SECONDS) {
    progressSamples.shift();
  }
  const first = progressSamples[0];
  return now > first.now ? (bytesSoFar - first.bytesSoFar) / (now - first.now) : null;
}

export function renderTransfers(transfers) {
  const listed = new Set(transfers.map(t => t.partition));
  for (const [partition, t] of unfinished) {
    if (!listed.has(partition)) {
      copied.set(partition, t.bytesTotal ?? t.bytesDone);
      unfinished.delete(partition);
    }
  }
  for (const t of transfers) {
    if (t.state === 'DONE') {
      copied.set(t.partition, t.bytesDone);
      unfinished.delete(t.partition);
    } else {
      unfinished.set(t.partition, t);
    }
  }
  const open = [...unfinished.values()];
  const rows = open.map(t => [
    { num: t.partition },
    t.source,
    t.state.toLowerCase() + (t.lastError ? ` (${t.lastError})` : '')
      + (t.skipped ? `; ${t.skipped} skipped, last ${t.lastSkipped}` : ''),
    el('progress', { max: t.bytesTotal ?? 1, value: t.bytesTotal ? t.bytesDone : 0,
      'aria-label': `Partition ${t.partition} copied` }),
    `${bytes(t.bytesDone)} of ${bytes(t.bytesTotal)}`,
    `${bytes(t.bytesPerSecond)}/s`,
    duration(t.etaSeconds),
  ]);
  const copiedBytes = [...copied.values()].reduce((sum, b) => sum + b, 0);
  const total = copied.size + open.length;
  const rate = overallRate(copiedBytes + open.reduce((sum, t) => sum + t.bytesDone, 0));
  // a partition whose size the source has not estimated yet counts as the average of those copied
  const average = copied.size > 0 ? copiedBytes / copied.size : null;
  const left = open.every(t => t.bytesTotal !== null) || average !== null
    ? open.reduce((sum, t) => sum + (t.bytesTotal ?? average) - t.bytesDone, 0) : null;
  const eta = rate > 0 && left !== null ? duration(left / rate) : 'unknown';
  showChanged('transfers', [open, copied.size, Math.round(rate ?? 0)], () => [
    open.length === 0 ? el('p', { class: 'muted' }, 'No partition is being copied to this node now.') : [
      el('p', { id: 'transfers-summary' }, `${copied.size} of ${total} partitions copied, `
        + (rate === null ? 'measuring the rate' : `${bytes(Math.round(rate))}/s, ETA ${eta}`) + '; '
        + `${open.filter(t => t.state === 'STREAMING').length} streaming, the others wait their turn.`),
      el('progress', { id: 'transfers-overall', max: total, value: copied.size,
        'aria-label': 'Partitions copied to this node' }),
      el('div', { class: 'tall' },
        table(['Partition', 'From', 'State', 'Progress', 'Copied', 'Rate', 'ETA'], rows, { id: 'transfers-table' }))],
    copied.size > 0 ? el('p', { id: 'transfers-done' },
      `${copied.size} partitions copied to this node since this page opened (${bytes(copiedBytes)}).`) : []]);
}

export function renderHints(status) {
  showChanged('hints', status.hints, () => status.hints.length === 0
    ? el('p', { class: 'muted' }, 'No hints waiting: every write reached its replicas.')
    : table(['For node', 'Hints waiting'], status.hints.map(h => [h.owner, { num: `${h.capped ? 'at least ' : ''}${h.count}` }])));
}

export function renderTruncations(truncations) {
  showChanged('truncations', truncations, () => truncations.length === 0
    ? el('p', { class: 'muted' }, 'No bucket has been truncated through this node (admin truncate BUCKET, or DELETE /kv/BUCKET).')
    : table(['Bucket', 'Status', 'Keys deleted', 'Started', 'Finished'], truncations.map(t => [
      t.bucket,
      t.status.toLowerCase() + (t.problem ? ` (${t.problem})` : ''),
      { num: t.deleted },
      clock(t.started),
      t.finished ? clock(t.finished) : '—',
    ])));
}

export function renderAntiEntropy(ring, status) {
  const totals = status.antiEntropy;
  const exchanged = ring.preferenceLists.filter(p => p.lastExchange);
  show('anti-entropy-summary', `${totals.exchanges} exchanges since start, ${totals.keysRepaired} keys repaired, `
    + `${bytes(totals.bytesExchanged)} exchanged, ${totals.deferredRounds} rounds deferred to client traffic. `
    + `This node has exchanged ${exchanged.length} of ${ring.partitions} partitions.`);
  showChanged('partitions', ring.preferenceLists, () => table(['Partition', 'Owner', 'Preference list',
    'Last exchange', 'Keys repaired'], ring.preferenceLists.map(p => [
    { num: p.partition },
    p.owner,
    p.preferenceList.join(', '),
    p.lastExchange ? `${clock(p.lastExchange.at)} with ${p.lastExchange.peer}${p.lastExchange.failed ? ' (failed)' : ''}` : '—',
    { num: p.lastExchange ? p.lastExchange.keysRepaired : '' },
  ])));
}
