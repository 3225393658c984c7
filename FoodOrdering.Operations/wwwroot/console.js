// The console's frame: a navigation built from the pages that register themselves (pages/*.js), hash routing
// (#topics, #topics/orders.received, #order/{id}), signing in and out with the operator key, and one way to call the API and show its problems.
'use strict';

const pages = [];
const keyStorage = 'foodordering-operator-key';

// A page: { id, title, render(main, ...routeParts) }. The navigation shows them in the order they register.
function registerPage(page) {
  pages.push(page);
}

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function api(path, options = {}) {
  const headers = { Accept: 'application/json', ...(options.body ? { 'Content-Type': 'application/json' } : {}) };
  const key = sessionStorage.getItem(keyStorage);
  if (key) headers['X-Api-Key'] = key;
  const response = await fetch(path, { ...options, headers: { ...headers, ...options.headers } });
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  // A 401 to a request sent before the operator signed in says nothing about the key they gave since.
  if (response.status === 401 && key === sessionStorage.getItem(keyStorage)) {
    sessionStorage.removeItem(keyStorage);
    showSignIn({ refused: key !== null });
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

// The header says whether this browser session holds an operator key; signing out forgets it.
function showSignedIn() {
  document.getElementById('operator-key').hidden = true;
  document.getElementById('operator-session').hidden = false;
}

function showSignIn({ refused = false } = {}) {
  document.getElementById('operator-session').hidden = true;
  document.getElementById('operator-key-refused').hidden = !refused;
  document.getElementById('operator-key').hidden = false;
}

function el(tag, properties = {}, ...children) {
  const element = Object.assign(document.createElement(tag), properties);
  element.append(...children.filter(child => child !== null && child !== undefined));
  return element;
}

function table(columns, rows, rowAttributes) {
  return el('table', {},
    el('thead', {}, el('tr', {}, ...columns.map(column => el('th', { textContent: column.title })))),
    el('tbody', {}, ...rows.map(row => {
      const tr = el('tr', {}, ...columns.map(column => {
        const value = column.value(row);
        return value instanceof Node ? el('td', {}, value) : el('td', { textContent: value ?? '' });
      }));
      if (rowAttributes) Object.assign(tr.dataset, rowAttributes(row));
      return tr;
    })));
}

function showError(error) {
  const fields = error?.problem?.errors ? Object.entries(error.problem.errors).map(([field, messages]) => `${field}: ${messages.join(' ')}`) : [];
  document.getElementById('error').textContent = [error?.message ?? String(error), ...fields].join(' — ');
}

function clearError() {
  document.getElementById('error').textContent = '';
}

function formatTime(value) {
  return value ? new Date(value).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}

let refreshTimer;

// Pages that show live figures call this with the element they render into; leaving the page, or a page whose
// render was overtaken by the next one, stops it.
function refreshEvery(main, milliseconds, action) {
  clearInterval(refreshTimer);
  const timer = setInterval(() => main.isConnected ? action() : clearInterval(timer), milliseconds);
  refreshTimer = timer;
}

async function route() {
  clearInterval(refreshTimer);
  clearError();
  const [id, ...parts] = (location.hash.slice(1) || pages[0]?.id || '').split('/').map(decodeURIComponent);
  const page = pages.find(candidate => candidate.id === id) ?? pages[0];
  for (const link of document.querySelectorAll('#nav a')) {
    link.toggleAttribute('aria-current', link.dataset.page === page?.id);
  }
  // Each route renders into an element of its own, so a render still waiting on the API when the next route starts
  // writes only into what is no longer shown.
  const main = el('div', {}, el('p', { className: 'hint', textContent: 'Loading…' }));
  document.getElementById('page').replaceChildren(main);
  try {
    await page?.render(main, ...parts);
  } catch (error) {
    if (main.isConnected) {
      main.replaceChildren();
      showError(error);
    }
  }
}

window.addEventListener('DOMContentLoaded', () => {
  document.getElementById('nav').replaceChildren(...pages.filter(page => !page.hidden).map(page =>
    el('a', { href: `#${page.id}`, textContent: page.title })));
  for (const link of document.querySelectorAll('#nav a')) link.dataset.page = link.getAttribute('href').slice(1);
  document.getElementById('find-order').addEventListener('submit', event => {
    event.preventDefault();
    location.hash = `#order/${encodeURIComponent(document.getElementById('find-order-id').value.trim())}`;
  });
  document.getElementById('operator-key').addEventListener('submit', event => {
    event.preventDefault();
    const input = document.getElementById('operator-key-value');
    sessionStorage.setItem(keyStorage, input.value);
    input.value = '';
    showSignedIn();
    route();
  });
  document.getElementById('operator-session').addEventListener('submit', event => {
    event.preventDefault();
    sessionStorage.removeItem(keyStorage);
    showSignIn();
    route();
  });
  if (sessionStorage.getItem(keyStorage)) showSignedIn();
  window.addEventListener('hashchange', route);
  route();
});
