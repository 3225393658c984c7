// Consumer groups: state, members, committed offsets and lag in records (with its last half hour), and offset
// resets for a group with no members, shown as a dry run first; pause and resume of a group's consumption on every
// instance of its service.
'use strict';

function sparkline(points) {
  if (!points.length) return el('span', { className: 'hint', textContent: '—' });
  const max = Math.max(1, ...points.map(p => p.lag));
  const width = 160, height = 24;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('width', width); svg.setAttribute('height', height);
  svg.setAttribute('aria-label', `lag over time, up to ${max}`);
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('fill', 'none'); line.setAttribute('stroke', '#37474f');
  line.setAttribute('points', points.map((p, i) => `${(i / Math.max(1, points.length - 1)) * width},${height - (p.lag / max) * (height - 2) - 1}`).join(' '));
  svg.append(line);
  return svg;
}

function resetForm(group) {
  const to = el('select', {}, ...['earliest', 'latest', 'time'].map(value => el('option', { value, textContent: value })));
  const at = el('input', { type: 'datetime-local', step: 1 });
  const out = el('div');
  async function send(dryRun) {
    const body = { to: to.value, dryRun, ...(to.value === 'time' ? { at: new Date(at.value + 'Z').toISOString() } : {}) };
    const result = await api(`/api/consumer-groups/${encodeURIComponent(group)}/reset`, { method: 'POST', body: JSON.stringify(body) });
    out.replaceChildren(el('p', { textContent: dryRun ? 'Dry run: nothing changed yet.' : 'Reset done.' }), table([
      { title: 'Topic', value: p => p.topic },
      { title: 'Partition', value: p => p.partition },
      { title: 'Committed', value: p => p.committed ?? 'none' },
      { title: 'Target', value: p => p.target },
      { title: 'Read again', value: p => p.reread },
      { title: 'Skipped', value: p => p.skipped },
    ], result.partitions),
    dryRun ? el('button', { type: 'button', className: 'danger', textContent: 'Apply this reset', onclick: () => send(false).catch(showError) }) : null);
  }
  return el('div', { className: 'toolbar' }, 'Reset to ', to, at,
    el('button', { type: 'button', textContent: 'Dry run', onclick: () => send(true).catch(showError) }), out);
}

function consumptionSwitch(group, redraw) {
  const action = group.paused ? 'resume' : 'pause';
  return el('div', { className: 'toolbar' },
    el('span', { className: `paused badge ${group.paused ? 'warn' : 'good'}`, textContent: group.paused ? `Paused at ${new Date(group.paused.at).toISOString()} by ${group.paused.operator}` : 'Consuming' }),
    el('button', {
      type: 'button', className: group.paused ? '' : 'danger', textContent: group.paused ? 'Resume' : 'Pause',
      onclick: () => api(`/api/consumer-groups/${encodeURIComponent(group.groupId)}/${action}`, { method: 'POST' }).then(redraw).catch(showError),
    }));
}

registerPage({
  id: 'consumer-groups',
  title: 'Consumer groups',
  async render(main) {
    async function draw() {
      const groups = await api('/api/consumer-groups');
      main.replaceChildren(el('h2', { textContent: 'Consumer groups' }), ...groups.map(group => el('section', { className: 'group' },
        el('h3', { textContent: `${group.groupId} — ${group.state}, lag ` }, el('span', { className: `lag badge ${group.lag ? 'warn' : 'good'}`, textContent: String(group.lag) })),
        el('p', { className: 'hint', textContent: group.members == null ? 'Members: the cluster does not describe groups.' : `Members: ${group.members.length ? group.members.map(m => `${m.clientId} on ${m.host} (${m.partitions.join(', ')})`).join('; ') : 'none'}` }),
        consumptionSwitch(group, draw),
        sparkline(group.history),
        ...group.topics.map(topic => table([
          { title: `${topic.topic} partition`, value: p => p.partition },
          { title: 'Committed', value: p => p.committed ?? 'none' },
          { title: 'End offset', value: p => p.end },
          { title: 'Lag (records)', value: p => p.lag },
        ], topic.partitions)),
        resetForm(group.groupId))));
      for (const [index, section] of [...main.querySelectorAll('section.group')].entries()) section.dataset.group = groups[index].groupId;
    }
    await draw();
    refreshEvery(main, 5000, () => { if (!main.querySelector('section.group div div table')) draw().catch(showError); });
  },
});
