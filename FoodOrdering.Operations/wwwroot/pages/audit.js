// Audit: what operators did in the console, newest first, from the operations.audit topic.
'use strict';

registerPage({
  id: 'audit',
  title: 'Audit',
  async render(main) {
    const entries = await api('/api/audit');
    main.replaceChildren(el('h2', { textContent: 'Audit' }), entries.length ? table([
      { title: 'When', value: e => formatTime(e.at) },
      { title: 'Who', value: e => e.operator },
      { title: 'Action', value: e => e.action },
      { title: 'On', value: e => e.target },
      { title: 'Outcome', value: e => e.outcome },
      { title: 'Records', value: e => el('details', {}, el('summary', { textContent: `${e.records.length}` }),
          el('pre', { textContent: e.records.map(r => `${r.record} ${r.outcome}${r.detail ? ` (${r.detail})` : ''}`).join('\n') })) },
    ], entries) : el('p', { className: 'hint', textContent: 'Nothing done yet.' }));
  },
});
