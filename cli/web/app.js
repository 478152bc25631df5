/* app.js - the search page of `cybersearch serve`.
 *
 * Corpus text is only ever put into the page as text (textContent and text
 * nodes), never as HTML: a passage holding <script> shows as those
 * characters.  Offsets from the API count UTF-8 bytes, so snippets are cut
 * as bytes and decoded piece by piece. */
'use strict';

const PAGE = 10;
const $ = (id) => document.getElementById(id);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

let state = { q: '', offset: 0, any: false, plain: false, per_file: '3' };
let lastHits = [];

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/* The text with its marks, [start, end) byte ranges, as <mark> elements. */
function marked(text, marks) {
  const bytes = encoder.encode(text);
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of marks) {
    if (start < at || end > bytes.length) continue;
    frag.append(decoder.decode(bytes.subarray(at, start)));
    frag.append(el('mark', null, decoder.decode(bytes.subarray(start, end))));
    at = end;
  }
  frag.append(decoder.decode(bytes.subarray(at)));
  return frag;
}

/* In the document's own units: path:line:col for text and HTML (with the
 * HTML section), the page and line for PDF, the paragraph for DOCX. */
function citation(hit) {
  const loc = hit.locator || {};
  if (loc.page)
    return `${hit.path}, page ${loc.page}${loc.page_label ? ` (${loc.page_label})` : ''}, line ${loc.line}`;
  if (loc.paragraph)
    return `${hit.path}, paragraph ${loc.paragraph}${loc.section ? ` § ${loc.section}` : ''}`;
  return `${hit.path}:${hit.passage.line}:${hit.passage.col}${loc.anchor ? ` #${loc.anchor}` : ''}`;
}

function params(extra) {
  const p = new URLSearchParams({ q: state.q });
  if (state.any) p.set('any', '1');
  if (state.plain) p.set('plain', '1');
  for (const [k, v] of Object.entries(extra || {})) p.set(k, String(v));
  return p;
}

async function api(call, p) {
  const res = await fetch(`/api/${call}?${p}`, { headers: { Accept: 'application/json' } });
  let body;
  try {
    body = await res.json();
  } catch (e) {
    body = { type: 'error', message: `the server answered ${res.status}` };
  }
  return body;
}

function showError(body) {
  const box = $('error');
  box.textContent = body.message || 'error';
  if (typeof body.offset === 'number' && typeof body.query === 'string') {
    /* the caret under the offending character: the offset counts bytes */
    const before = decoder.decode(encoder.encode(body.query).subarray(0, body.offset));
    box.append('\n' + body.query + '\n' + ' '.repeat([...before].length) + '^');
  }
  box.hidden = false;
}

/* A button copying the citation shown in @code.  Without the clipboard API
 * (a page not served from localhost or HTTPS) the text is selected and
 * copied the old way, or left selected for the reader to copy. */
function copyButton(code) {
  const b = el('button', 'copy', 'Copy');
  b.type = 'button';
  b.title = 'Copy the citation';
  b.addEventListener('click', async (ev) => {
    ev.stopPropagation();
    let done = false;
    try {
      await navigator.clipboard.writeText(code.textContent);
      done = true;
    } catch (e) {
      window.getSelection().selectAllChildren(code);
      done = document.execCommand && document.execCommand('copy');
    }
    b.textContent = done ? 'Copied' : 'Selected: copy it';
    setTimeout(() => { b.textContent = 'Copy'; }, 1500);
  });
  return b;
}

function renderHit(hit) {
  const li = el('li', 'hit');
  const head = el('div', 'cite');
  const cite = el('code', 'citation', citation(hit));
  head.append(cite, ' ', copyButton(cite));
  const loc = hit.locator || {};
  const where = loc.page || loc.paragraph ? '' : `bytes ${hit.passage.start}–${hit.passage.end} · `;
  head.append(el('span', 'meta', `${where}${loc.section ? `§ ${loc.section} · ` : ''}score ${hit.score.toFixed(3)}`));
  if (hit.stale) head.append(el('span', 'stale', 'file changed since indexing'));
  const snippet = el('p', 'snippet');
  snippet.append(marked(hit.snippet, hit.marks));
  snippet.tabIndex = 0;
  snippet.title = 'Open the passage in context';
  snippet.addEventListener('click', () => openPassage(hit));
  snippet.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') openPassage(hit); });
  li.append(head, snippet);
  if (hit.missing) li.append(el('p', 'missing', `missing: ${hit.missing}`));
  return li;
}

/* "1,234 passages match in 56 files", as the CLI says it: "about" before
 * an estimated passage count, "at least" before a lower bound of files. */
function matching(s) {
  const num = (v) => v.toLocaleString('en');
  if (!s.passages) return `About ${num(s.estimate)} matching passages`;
  const p = s.passages, f = s.files;
  let text = `${p.exact ? '' : 'about '}${num(p.estimate)} ` +
             (p.exact && p.estimate === 1 ? 'passage matches' : 'passages match');
  if (f && f.exact && f.upper > 0) text += ` in ${num(f.upper)} ${f.upper === 1 ? 'file' : 'files'}`;
  else if (f && f.lower > 0) text += ` in at least ${num(f.lower)} ${f.lower === 1 ? 'file' : 'files'}`;
  return text;
}

async function search(push) {
  $('error').hidden = true;
  if (!state.q.trim()) {
    $('results').replaceChildren();
    $('status').textContent = '';
    $('pager').hidden = true;
    return;
  }
  if (push) {
    const url = `/?${params({ offset: state.offset, per_file: state.per_file })}`;
    history.pushState(null, '', url);
  }
  $('status').textContent = 'Searching…';
  const body = await api('search', params({ limit: PAGE, offset: state.offset, per_file: state.per_file }));
  if (body.type !== 'search') {
    $('status').textContent = '';
    $('results').replaceChildren();
    $('pager').hidden = true;
    showError(body);
    return;
  }
  lastHits = body.hits;
  const s = body.summary;
  const first = s.hits ? state.offset + 1 : 0;
  $('status').textContent = s.hits
    ? `${s.relaxed ? 'No passage holds all the words; best partial matches. ' : ''}` +
      `${matching(s)}; ${first}–${state.offset + s.hits} shown ` +
      `(${(s.elapsed_us / 1000).toFixed(1)} ms).`
    : (state.offset ? 'No more results.' : 'Nothing matched.');
  $('results').replaceChildren(...body.hits.map(renderHit));
  $('results').start = first;
  $('pager').hidden = !(state.offset > 0 || s.hits === PAGE);
  $('prev').disabled = state.offset === 0;
  $('next').disabled = s.hits < PAGE;
  $('page').textContent = `page ${Math.floor(state.offset / PAGE) + 1}`;
}

async function openPassage(hit) {
  const body = await api('passage', params({ id: hit.passage.id, context: 3 }));
  const panel = $('passage');
  if (body.type !== 'passage') {
    showError(body);
    return;
  }
  $('passage-title').textContent = `${body.path} — passage ${body.passages[body.focus].rank} of ${body.file_passages}`;
  const list = $('passage-body');
  list.replaceChildren();
  body.passages.forEach((p, i) => {
    const div = el('div', i === body.focus ? 'context focus' : 'context');
    const cite = el('div', 'cite');
    const code = el('code', 'citation', citation(p));
    cite.append(code, ' ', copyButton(code));
    const text = el('p', 'text');
    text.append(marked(p.snippet, p.marks));
    div.append(cite, text);
    list.append(div);
  });
  panel.hidden = false;
  const focus = list.querySelector('.focus');
  if (focus) focus.scrollIntoView({ block: 'center' });
  $('passage-close').focus();
}

function closePassage() {
  $('passage').hidden = true;
}

function readLocation() {
  const p = new URLSearchParams(location.search);
  state.q = p.get('q') || '';
  state.offset = Math.max(0, parseInt(p.get('offset') || '0', 10) || 0);
  state.any = p.get('any') === '1';
  state.plain = p.get('plain') === '1';
  state.per_file = p.get('per_file') || '3';
  $('q').value = state.q;
  $('any').checked = state.any;
  $('plain').checked = state.plain;
  $('per_file').value = state.per_file;
}

document.addEventListener('DOMContentLoaded', () => {
  $('search').addEventListener('submit', (ev) => {
    ev.preventDefault();
    state.q = $('q').value;
    state.any = $('any').checked;
    state.plain = $('plain').checked;
    state.per_file = $('per_file').value;
    state.offset = 0;
    closePassage();
    search(true);
  });
  $('prev').addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - PAGE);
    search(true);
  });
  $('next').addEventListener('click', () => {
    state.offset += PAGE;
    search(true);
  });
  $('passage-close').addEventListener('click', closePassage);
  document.addEventListener('keydown', (ev) => {
    const typing = ev.target instanceof HTMLInputElement || ev.target instanceof HTMLSelectElement;
    if (ev.key === '/' && !typing) {
      ev.preventDefault();
      $('q').focus();
      $('q').select();
    } else if (ev.key === 'Escape' && !$('passage').hidden) {
      closePassage();
    }
  });
  window.addEventListener('popstate', () => { readLocation(); search(false); });
  readLocation();
  if (state.q) search(false);
});
