// The ring as a picture: each partition an arc around a circle, coloured by its owner; pointing at
// (or focusing) an arc names its preference list and last anti-entropy exchange.

import { el, show, showChanged, clock } from './dom.js';

// Distinguishable hues, dark enough for the white legend text's neighbours and each other.
const PALETTE = ['#1f77b4', '#d95f02', '#1b9e77', '#7570b3', '#e7298a', '#66a61e', '#a6761d', '#525252',
  '#17becf', '#bcbd22'];
const SIZE = 300;
const OUTER = 140;
const INNER = 95;

/** A stable colour per member id, in the order of the ring's members. */
export function colours(members) {
  const ids = members.map(m => m.id).sort();
  return new Map(ids.map((id, i) => [id, PALETTE[i % PALETTE.length]]));
}

export function renderRing(ring) {
  if (!ring.formed) {
    show('ring-summary', 'This node has no ring yet: the cluster has not formed, or this node was not added.');
    showChanged('ring', null, () => []);
    show('ring-legend');
    return;
  }
  const colour = colours(ring.members);
  const current = ring.members.filter(m => m.status !== 'removed');
  show('ring-summary', `Ring version ${ring.version}, ${ring.partitions} partitions, ${current.length} members`
    + (ring.member ? '' : ' (this node is not a member)'));
  showChanged('ring', [ring.version, ring.members, ring.preferenceLists], () => picture(ring, colour));
  show('ring-legend', current.map(m => el('li', {},
    el('span', { class: 'swatch', style: `background:${colour.get(m.id)}` }),
    `${m.id}: ${m.partitionsOwned} partitions`)));
}

function picture(ring, colour) {
  const step = (2 * Math.PI) / ring.partitions;
  const arcs = ring.preferenceLists.map(p => {
    const description = `Partition ${p.partition}: owner ${p.owner}; preference list ${p.preferenceList.join(', ')}`
      + (p.lastExchange ? `; last anti-entropy at ${clock(p.lastExchange.at)} with ${p.lastExchange.peer}` : '');
    return el('path', {
      d: arc(p.partition * step, (p.partition + 1) * step),
      fill: colour.get(p.owner) ?? '#999',
      stroke: '#fff',
      'stroke-width': ring.partitions > 128 ? 0.3 : 1,
      'data-partition': p.partition,
      'data-owner': p.owner,
      onmouseenter: () => show('ring-detail', description),
    }, el('title', {}, description));
  });
  const svg = el('svg', { viewBox: `0 0 ${SIZE} ${SIZE}`, role: 'img',
    'aria-label': `Ring of ${ring.partitions} partitions coloured by owner` },
  el('g', {}, arcs),
  el('text', { x: SIZE / 2, y: SIZE / 2, 'text-anchor': 'middle', 'dominant-baseline': 'middle',
    'font-size': 16, fill: '#1b1f24' }, `v${ring.version}`));
  return svg;
}

/** An annulus sector between two angles, clockwise from twelve o'clock. */
function arc(from, to) {
  const c = SIZE / 2;
  const point = (r, a) => `${(c + r * Math.sin(a)).toFixed(2)} ${(c - r * Math.cos(a)).toFixed(2)}`;
  const large = to - from > Math.PI ? 1 : 0;
  return `M ${point(OUTER, from)} A ${OUTER} ${OUTER} 0 ${large} 1 ${point(OUTER, to)}`
    + ` L ${point(INNER, to)} A ${INNER} ${INNER} 0 ${large} 0 ${point(INNER, from)} Z`;
}
