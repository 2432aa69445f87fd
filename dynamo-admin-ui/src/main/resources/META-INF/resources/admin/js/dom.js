// Small DOM helpers: every value from the node goes in as text, never as markup.

/** An element with attributes (on* as listeners, other names as attributes) and children (nodes or text). */
export function el(tag, attributes = {}, ...children) {
  const svg = ['svg', 'path', 'circle', 'text', 'title', 'g'].includes(tag);
  const node = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on')) {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child !== undefined && child !== null) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

/** Replaces the children of the element with this id. */
export function show(id, ...children) {
  document.getElementById(id).replaceChildren(...children.flat(Infinity));
}

/**
 * Replaces the children of the element with this id by what build() makes, only when the data it
 * shows changed: a redraw every poll would drop the keyboard focus and close what the operator opened.
 */
export function showChanged(id, data, build) {
  const node = document.getElementById(id);
  const key = JSON.stringify(data);
  if (node.dataset.shown !== key) {
    node.dataset.shown = key;
    node.replaceChildren(...[build()].flat(Infinity));
  }
}

/** A table with a header row and body rows of cells (text, nodes, or {value, num}). */
export function table(headers, rows, attributes = {}) {
  return el('div', { class: 'scroll' }, el('table', attributes,
    el('thead', {}, el('tr', {}, headers.map(h => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map(cells => el('tr', {}, cells.map(cell =>
      cell !== null && typeof cell === 'object' && 'num' in cell
        ? el('td', { class: 'num' }, cell.num) : el('td', {}, cell)))))));
}

/** Bytes in the largest unit that keeps the number at least 1. */
export function bytes(n) {
  if (n === null || n === undefined) {
    return 'unknown';
  }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Seconds as "1 h 2 min", "3 min 4 s" or "5 s". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) {
    return 'unknown';
  }
  const s = Math.round(seconds);
  if (s >= 3600) {
    return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  }
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/** An ISO instant as this browser's local time of day. */
export function clock(instant) {
  return new Date(instant).toLocaleTimeString();
}
