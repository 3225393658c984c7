// Dead letters: every dead-letter topic and emails.failed in failure groups, with re-drive and discard per group,
// per record or for a selection; every action is audited.
'use strict';

async function act(action, selection) {
  const result = await api(`/api/dead-letters/${action}`, { method: 'POST', body: JSON.stringify(selection) });
  const counts = result.records.reduce((all, r) => ({ ...all, [r.outcome]: (all[r.outcome] ?? 0) + 1 }), {});
  document.getElementById('error').textContent = '';
  return `${action}: ${Object.entries(counts).map(([outcome, count]) => `${count} ${outcome}`).join(', ')}`;
}

async function renderGroups(main, message = '') {
  const groups = await api('/api/dead-letters');
  const status = el('p', { id: 'action-status', role: 'status', textContent: message });
  const run = (action, group) => async () => renderGroups(main, await act(action, { group }).catch(e => (showError(e), '')));
  main.replaceChildren(el('h2', { textContent: 'Dead letters' }), status, groups.length ? table([
    { title: 'Reason', value: g => g.reason },
    { title: 'From', value: g => g.sourceTopic },
    { title: 'Error', value: g => el('a', { href: `#dead-letters/${g.id}`, textContent: g.error }) },
    { title: 'Count', value: g => g.count },
    { title: 'Unhandled', value: g => `${g.unhandled}${g.overLimit ? ` (${g.overLimit} over the re-drive limit)` : ''}` },
    { title: 'First seen', value: g => formatTime(g.firstSeen) },
    { title: 'Last seen', value: g => formatTime(g.lastSeen) },
    { title: '', value: g => el('span', {},
        el('button', { type: 'button', textContent: 'Re-drive', disabled: !g.unhandled, onclick: run('redrive', g.id) }),
        ' ',
        el('button', { type: 'button', className: 'danger', textContent: 'Discard', disabled: !g.unhandled, onclick: run('discard', g.id) })) },
  ], groups, g => ({ group: g.id })) : el('p', { className: 'hint', textContent: 'No dead letters.' }));
}

async function renderGroup(main, id, message = '') {
  const detail = await api(`/api/dead-letters/${encodeURIComponent(id)}`);
  const status = el('p', { id: 'action-status', role: 'status', textContent: message });
  const selected = () => [...main.querySelectorAll('input[data-record]:checked')].map(box => box.dataset.record);
  const run = action => async () => {
    const records = selected();
    if (!records.length) return;
    await renderGroup(main, id, await act(action, { records }).catch(e => (showError(e), '')));
  };
  main.replaceChildren(
    el('h2', { textContent: `${detail.group.reason} from ${detail.group.sourceTopic}` }),
    el('p', { textContent: detail.group.error }),
    el('div', { className: 'toolbar' },
      el('button', { type: 'button', textContent: 'Re-drive selected', onclick: run('redrive') }),
      el('button', { type: 'button', className: 'danger', textContent: 'Discard selected', onclick: run('discard') })),
    status,
    table([
      { title: '', value: r => r.handled ? '' : el('input', { type: 'checkbox', ariaLabel: `select ${r.record}` }) },
      { title: 'Record', value: r => el('a', { href: `#topics/${encodeURIComponent(r.record.split('/')[0])}`, textContent: r.record }) },
      { title: 'Order', value: r => r.key ? el('a', { href: `#order/${r.key}`, textContent: r.key }) : '' },
      { title: 'When', value: r => formatTime(r.timestamp) },
      { title: 'Error', value: r => r.error },
      { title: 'Re-drives', value: r => `${r.redriveCount}${r.overLimit ? ' (over the limit)' : ''}` },
      { title: 'Handled', value: r => r.handled ? `${r.handled} ${formatTime(r.handledAt)} ${r.handledDetail ?? ''}` : '' },
    ], detail.records, r => ({ record: r.record })));
  for (const row of main.querySelectorAll('tr[data-record]')) {
    const box = row.querySelector('input[type=checkbox]');
    if (box) box.dataset.record = row.dataset.record;
  }
}

registerPage({
  id: 'dead-letters',
  title: 'Dead letters',
  render: (main, id) => id ? renderGroup(main, id) : renderGroups(main),
});
