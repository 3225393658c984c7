// Live analytics: revenue and orders per minute, top items, categories, rejections and emails over 5, 15 or 60
// minutes, from GET /api/analytics every 2 s. Money is shown as the API's decimal strings; the charts get numbers
// only to draw, and their tooltips show the strings.
'use strict';

(() => {
  const refreshMilliseconds = 2000;
  const ranges = [5, 15, 60];
  const palette = ['#1e88e5', '#43a047', '#fb8c00', '#8e24aa', '#e53935', '#00897b', '#6d4c41', '#3949ab', '#c0ca33', '#546e7a'];
  let range = ranges[0];
  let charts = {};

  function tile(id, label) {
    return el('div', { className: 'tile' }, el('div', { className: 'tile-label', textContent: label }), el('div', { className: 'tile-value', id }));
  }

  function chartCard(id, title) {
    return el('figure', { className: 'chart' }, el('figcaption', { textContent: title }),
      el('div', { className: 'chart-area' }, el('canvas', { id }), el('p', { className: 'chart-empty', id: `${id}-empty`, hidden: true })));
  }

  // A chart with nothing to draw would show a bare axis, which reads as a broken page: it says so in words instead.
  function showEmpty(chart, empty, sentence) {
    const note = document.getElementById(`${chart.canvas.id}-empty`);
    note.textContent = sentence;
    note.hidden = !empty;
    chart.canvas.style.visibility = empty ? 'hidden' : '';
  }

  function moneyTooltip(strings, currency) {
    return { callbacks: { label: context => `${strings[context.dataIndex]} ${currency}` } };
  }

  function createCharts() {
    const common = { animation: false, responsive: true, maintainAspectRatio: false };
    charts = {
      perMinute: new Chart(document.getElementById('analytics-chart-per-minute'), {
        data: { labels: [], datasets: [
          { type: 'bar', label: 'Revenue', data: [], backgroundColor: palette[0], yAxisID: 'revenue' },
          { type: 'line', label: 'Orders', data: [], borderColor: palette[2], backgroundColor: palette[2], yAxisID: 'orders', tension: 0.2 },
        ] },
        options: { ...common, scales: {
          revenue: { position: 'left', beginAtZero: true, title: { display: true, text: 'revenue' } },
          orders: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { precision: 0 }, title: { display: true, text: 'orders' } },
        } },
      }),
      itemsByRevenue: new Chart(document.getElementById('analytics-chart-items-revenue'), {
        type: 'bar', data: { labels: [], datasets: [{ label: 'Revenue', data: [], backgroundColor: palette[0] }] },
        options: { ...common, indexAxis: 'y', plugins: { legend: { display: false } } },
      }),
      itemsByQuantity: new Chart(document.getElementById('analytics-chart-items-quantity'), {
        type: 'bar', data: { labels: [], datasets: [{ label: 'Quantity', data: [], backgroundColor: palette[1] }] },
        options: { ...common, indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { ticks: { precision: 0 } } } },
      }),
      categories: new Chart(document.getElementById('analytics-chart-categories'), {
        type: 'doughnut', data: { labels: [], datasets: [{ data: [], backgroundColor: palette }] },
        options: { ...common },
      }),
      rejections: new Chart(document.getElementById('analytics-chart-rejections'), {
        type: 'bar', data: { labels: [], datasets: [{ label: 'Rejections', data: [], backgroundColor: palette[4] }] },
        options: { ...common, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      }),
    };
  }

  function minuteLabel(value) {
    return new Date(value).toISOString().slice(11, 16);
  }

  function show(view) {
    const currency = view.currency;
    document.getElementById('analytics-revenue').textContent = `${view.revenue} ${currency}`;
    document.getElementById('analytics-orders').textContent = String(view.orders);
    document.getElementById('analytics-orders-per-minute').textContent = view.ordersPerMinute;
    document.getElementById('analytics-average').textContent = `${view.averageOrderValue} ${currency}`;
    document.getElementById('analytics-emails').textContent = `${view.emails.sent} sent, ${view.emails.failed} failed`;
    const top = view.topItemsByRevenue[0];
    document.getElementById('analytics-top-item').textContent = top ? `${top.item} (${top.revenue} ${currency}, ${top.quantity} sold)` : 'none yet';
    document.getElementById('analytics-repeats').hidden = !view.mayHoldRepeats;
    const kibana = document.getElementById('analytics-kibana');
    kibana.hidden = !view.kibanaDashboard;
    if (view.kibanaDashboard) kibana.href = view.kibanaDashboard;
    document.getElementById('analytics-window').textContent =
      `${formatTime(view.from)} to ${formatTime(view.to)}; order lines before fee and tax, in ${currency}.`;

    const perMinute = charts.perMinute;
    perMinute.data.labels = view.perMinute.map(minute => minuteLabel(minute.minute));
    perMinute.data.datasets[0].data = view.perMinute.map(minute => Number(minute.revenue));
    perMinute.data.datasets[1].data = view.perMinute.map(minute => minute.orders);
    perMinute.options.plugins.tooltip = { callbacks: { label: context => context.datasetIndex === 0
      ? `Revenue ${view.perMinute[context.dataIndex].revenue} ${currency}` : `Orders ${context.parsed.y}` } };

    const byRevenue = charts.itemsByRevenue;
    byRevenue.data.labels = view.topItemsByRevenue.map(item => item.item);
    byRevenue.data.datasets[0].data = view.topItemsByRevenue.map(item => Number(item.revenue));
    byRevenue.options.plugins.tooltip = moneyTooltip(view.topItemsByRevenue.map(item => item.revenue), currency);

    const byQuantity = charts.itemsByQuantity;
    byQuantity.data.labels = view.topItemsByQuantity.map(item => item.item);
    byQuantity.data.datasets[0].data = view.topItemsByQuantity.map(item => item.quantity);

    const categories = charts.categories;
    categories.data.labels = view.revenueByCategory.map(category => category.category);
    categories.data.datasets[0].data = view.revenueByCategory.map(category => Number(category.revenue));
    categories.options.plugins.tooltip = moneyTooltip(view.revenueByCategory.map(category => category.revenue), currency);

    const rejections = charts.rejections;
    rejections.data.labels = view.rejectionsByReason.map(reason => reason.reason);
    rejections.data.datasets[0].data = view.rejectionsByReason.map(reason => reason.count);

    const span = `in the last ${view.minutes} minutes`;
    showEmpty(perMinute, view.orders === 0, `No orders ${span}.`);
    showEmpty(byRevenue, view.topItemsByRevenue.length === 0, `No items sold ${span}.`);
    showEmpty(byQuantity, view.topItemsByQuantity.length === 0, `No items sold ${span}.`);
    showEmpty(categories, view.revenueByCategory.length === 0, `No revenue ${span}.`);
    showEmpty(rejections, view.rejectionsByReason.length === 0, `No rejections ${span}.`);

    for (const chart of Object.values(charts)) chart.update('none');

    document.getElementById('analytics-items').replaceChildren(view.topItemsByRevenue.length === 0
      ? el('p', { className: 'hint', textContent: `No items sold ${span}.` })
      : table([
        { title: 'Item', value: item => item.item },
        { title: 'Category', value: item => item.category },
        { title: `Revenue (${currency})`, value: item => item.revenue },
        { title: 'Quantity', value: item => String(item.quantity) },
      ], view.topItemsByRevenue));
  }

  async function refresh() {
    try {
      show(await api(`/api/analytics?minutes=${range}`));
      clearError();
    } catch (error) {
      showError(error);
    }
  }

  registerPage({
    id: 'analytics',
    title: 'Analytics',
    async render(main) {
      const picker = el('select', { id: 'analytics-range', ariaLabel: 'Time range' },
        ...ranges.map(minutes => el('option', { value: String(minutes), textContent: `last ${minutes} minutes`, selected: minutes === range })));
      picker.addEventListener('change', () => {
        range = Number(picker.value);
        refresh();
      });
      main.replaceChildren(
        el('h2', { textContent: 'Live analytics' }),
        el('div', { className: 'toolbar' }, picker,
          el('span', { className: 'hint', id: 'analytics-window' }),
          el('span', { className: 'badge warn', id: 'analytics-repeats', hidden: true,
            textContent: 'more records per minute than remembered: repeats may be counted' }),
          el('a', { id: 'analytics-kibana', hidden: true, target: '_blank', rel: 'noopener', textContent: 'The same figures in Kibana' })),
        el('div', { className: 'tiles' },
          tile('analytics-revenue', 'Revenue'),
          tile('analytics-orders', 'Orders'),
          tile('analytics-orders-per-minute', 'Orders per minute'),
          tile('analytics-average', 'Average order value'),
          tile('analytics-top-item', 'Top item'),
          tile('analytics-emails', 'Emails')),
        el('div', { className: 'charts' },
          chartCard('analytics-chart-per-minute', 'Revenue and orders per minute'),
          chartCard('analytics-chart-items-revenue', 'Top items by revenue'),
          chartCard('analytics-chart-items-quantity', 'Top items by quantity'),
          chartCard('analytics-chart-categories', 'Revenue by category'),
          chartCard('analytics-chart-rejections', 'Rejections by reason')),
        el('h3', { textContent: 'Top items' }),
        el('div', { id: 'analytics-items' }));
      createCharts();
      await refresh();
      refreshEvery(main, refreshMilliseconds, refresh);
    },
  });
})();
