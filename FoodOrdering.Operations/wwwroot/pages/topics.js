// Topics: every topic with its record counts (as a read_committed reader counts them), rate and retention; one
// topic's records page by page, newest first, oldest first or from a time; one order's records across topics.
'use strict';

function recordsTable(records, onReveal) {
  return table([
    { title: 'Partition', value: r => r.partition },
    { title: 'Offset', value: r => r.offset },
    { title: 'Timestamp', value: r => formatTime(r.timestamp) },
    { title: 'Key', value: r => r.key?.text ?? '' },
    { title: 'Headers', value: r => el('pre', { textContent: r.headers.map(h => `${h.key}: ${shown(h.value)}`).join('\n') }) },
    { title: 'Value', value: r => el('div', {}, el('pre', { textContent: shown(r.value) }),
        r.revealed || !onReveal ? null : el('button', { type: 'button', textContent: 'Reveal', title: 'Show this record unmasked (audited)', onclick: () => onReveal(r) })) },
  ], records, r => ({ partition: r.partition, offset: r.offset }));
}

function shown(value) {
  if (!value) return '(null)';
  const note = value.kind === 'binary' ? `binary, ${value.bytes} bytes: ` : '';
  const cut = value.truncated ? `\n… cut at ${value.shownUpTo} of ${value.bytes} bytes` : '';
  return `${note}${value.text}${cut}`;
}

async function reveal(record, row) {
  const full = await api(`/api/topics/${encodeURIComponent(record.topic)}/records/${record.partition}/${record.offset}?reveal=true`);
  row.replaceWith(recordsTable([full]).querySelector('tbody tr'));
}

async function renderTopicList(main) {
  const topics = await api('/api/topics');
  main.replaceChildren(el('h2', { textContent: 'Topics' }), table([
    { title: 'Topic', value: t => el('a', { href: `#topics/${encodeURIComponent(t.name)}`, textContent: t.name }) },
    { title: 'Partitions', value: t => t.partitions },
    { title: 'Records', value: t => `${t.records}${t.settled ? '' : ' (reading…)'}` },
    { title: 'Records/s (last minute)', value: t => t.recordsPerSecond },
    { title: 'Retention', value: t => t.retentionMs == null ? 'not told by the cluster' : t.retentionMs < 0 ? 'forever' : `${(t.retentionMs / 3600000).toFixed(1)} h` },
  ], topics, t => ({ topic: t.name })));
}

async function renderTopic(main, name) {
  const detail = await api(`/api/topics/${encodeURIComponent(name)}`);
  const from = el('select', { id: 'from' }, ...['newest', 'oldest', 'time'].map(value => el('option', { value, textContent: value })));
  const time = el('input', { id: 'from-time', type: 'datetime-local', step: 1 });
  const partition = el('select', { id: 'partition' }, el('option', { value: '', textContent: 'all partitions' }),
    ...detail.partitions.map(p => el('option', { value: p.partition, textContent: `partition ${p.partition}` })));
  const records = el('div', { id: 'records' });
  const more = el('button', { type: 'button', id: 'next-page', textContent: 'Next page', hidden: true });
  let cursor = null;

  async function load(reset) {
    if (reset) { cursor = null; records.replaceChildren(); }
    const query = new URLSearchParams();
    query.set('from', from.value === 'time' ? new Date(time.value + 'Z').toISOString() : from.value);
    if (partition.value !== '') query.set('partition', partition.value);
    if (cursor) query.set('cursor', cursor);
    const page = await api(`/api/topics/${encodeURIComponent(name)}/records?${query}`);
    const shownTable = recordsTable(page.records, record => reveal(record, shownTable.querySelector(`tr[data-partition="${record.partition}"][data-offset="${record.offset}"]`)).catch(showError));
    records.append(page.records.length ? shownTable : el('p', { className: 'hint', textContent: 'No records.' }));
    cursor = page.next;
    more.hidden = !cursor;
  }

  from.addEventListener('change', () => load(true).catch(showError));
  time.addEventListener('change', () => load(true).catch(showError));
  partition.addEventListener('change', () => load(true).catch(showError));
  more.addEventListener('click', () => load(false).catch(showError));
  main.replaceChildren(
    el('h2', { textContent: name }),
    el('p', { className: 'hint', textContent: `${detail.topic.records} records on ${detail.topic.partitions} partitions. Customer data is masked (Reveal shows one record, and is audited); long values are cut, saying where.` }),
    table([
      { title: 'Partition', value: p => p.partition },
      { title: 'First offset', value: p => p.low },
      { title: 'Next offset', value: p => p.high },
      { title: 'Records', value: p => p.records },
    ], detail.partitions),
    el('div', { className: 'toolbar' }, el('label', {}, 'From ', from), time, partition),
    records, more);
  await load(true);
}

registerPage({
  id: 'topics',
  title: 'Topics',
  render: (main, name) => name ? renderTopic(main, name) : renderTopicList(main),
});

registerPage({
  id: 'order',
  title: 'Order',
  hidden: true,
  async render(main, id) {
    const trail = await api(`/api/orders/${encodeURIComponent(id ?? '')}/trail`);
    main.replaceChildren(el('h2', { textContent: `Order ${trail.orderId}` }),
      trail.steps.length
        ? table([
            { title: 'Step', value: s => s.step },
            { title: 'When', value: s => formatTime(s.record.timestamp) },
            { title: 'Where', value: s => el('a', { href: `#topics/${encodeURIComponent(s.record.topic)}`, textContent: `${s.record.topic} [${s.record.partition}] @${s.record.offset}` }) },
            { title: 'Summary', value: s => s.summary },
          ], trail.steps, s => ({ step: s.step }))
        : el('p', { className: 'hint', textContent: trail.searchedFrom.length ? 'No record of this order among the records searched.' : 'No record of this order on any topic.' }));
    if (trail.searchedFrom.length) {
      // The index holds the newest records only: an older order is not "never existed".
      main.append(el('p', { className: 'hint searched-from', textContent: `The order index holds the newest records only; older ones were not searched. Searched from: ${
        trail.searchedFrom.map(at => `${at.topic} [${at.partition}] @${at.offset}`).join(', ')}. Browse a topic from a time to look further back.` }));
    }
  },
});
