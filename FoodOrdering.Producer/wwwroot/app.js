// The order page: reads GET /menu, posts POST /orders, shows the order id or the API's field errors, then follows
// the order through GET /orders/{id} (received → confirmed with its price, or rejected with why → email sent).
const form = document.getElementById('order-form');
const menuElement = document.getElementById('menu');
const button = document.getElementById('place-order');
const maxQuantity = 20;
let menu = [];
let pricing = null;
let idempotencyKey = crypto.randomUUID();

function money(value) {
  return value.toFixed(2);
}

// Money in whole cents (BigInt), so the estimate is exact; prices come with at most two decimals.
function cents(value) {
  return BigInt(Math.round(Number(value) * 100));
}

function fromCents(amount) {
  const sign = amount < 0n ? '-' : '';
  const digits = (amount < 0n ? -amount : amount).toString().padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

// The API's tax rule: (subtotal + fee) × rate, rounded once to cents with midpoints away from zero. The rate is a
// decimal string, read digit by digit so that nothing is lost to binary fractions.
function taxCents(base, rate) {
  const [whole, fraction = ''] = rate.split('.');
  const denominator = 10n ** BigInt(fraction.length);
  const product = base * BigInt(whole + fraction);
  const quotient = product / denominator;
  return 2n * (product % denominator) >= denominator ? quotient + 1n : quotient;
}

function quantityInputs() {
  return [...menuElement.querySelectorAll('input[data-item]')];
}

function renderMenu(response) {
  menu = response.items;
  pricing = response.pricing;
  document.getElementById('currency').textContent = response.currency;
  menuElement.replaceChildren(...response.categories.flatMap(category => [
    Object.assign(document.createElement('div'), { className: 'category', textContent: category }),
    ...menu.filter(item => item.category === category).map(item => {
      const row = document.createElement('label');
      row.className = 'item';
      const name = Object.assign(document.createElement('span'), { textContent: item.name });
      const price = Object.assign(document.createElement('span'), { textContent: money(item.unitPrice) });
      const quantity = Object.assign(document.createElement('input'), { type: 'number', min: 0, max: maxQuantity, step: 1, value: 0, inputMode: 'numeric' });
      quantity.dataset.item = item.id;
      quantity.setAttribute('aria-label', `Quantity of ${item.name}`);
      const error = Object.assign(document.createElement('span'), { className: 'error item-error' });
      error.dataset.errorForItem = item.id;
      quantity.addEventListener('input', () => {
        keepInLimits(quantity, item, error);
        updateTotal();
      });
      row.append(name, price, quantity, error);
      return row;
    }),
  ]));
}

// The field holds 0 to 20 whole items: anything else is brought back into range, and the row says why.
function keepInLimits(input, item, error) {
  const value = Number(input.value);
  const kept = Number.isFinite(value) ? Math.min(maxQuantity, Math.max(0, Math.trunc(value))) : 0;
  error.textContent = kept === value ? '' : `${item.name}: choose 0 to ${maxQuantity}.`;
  if (kept !== value) input.value = kept;
}

function chosenLines() {
  return quantityInputs()
    .map(input => ({ menuItemId: input.dataset.item, quantity: Number(input.value) }))
    .filter(line => line.quantity > 0);
}

function updateTotal() {
  const prices = Object.fromEntries(menu.map(item => [item.id, cents(item.unitPrice)]));
  const subtotal = chosenLines().reduce((sum, line) => sum + prices[line.menuItemId] * BigInt(line.quantity), 0n);
  const fee = subtotal > 0n && pricing ? cents(pricing.deliveryFee) : 0n;
  const tax = subtotal > 0n && pricing ? taxCents(subtotal + fee, pricing.taxRate) : 0n;
  document.getElementById('estimate-subtotal').textContent = fromCents(subtotal);
  document.getElementById('estimate-fee').textContent = fromCents(fee);
  document.getElementById('estimate-tax').textContent = fromCents(tax);
  document.getElementById('total').textContent = fromCents(subtotal + fee + tax);
}

function clearErrors() {
  form.querySelectorAll('[data-error-for], [data-error-for-item]').forEach(element => { element.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach(element => element.removeAttribute('aria-invalid'));
}

function showErrors(errors, lines = []) {
  for (const [field, messages] of Object.entries(errors)) {
    // A line's error ("lines[2].quantity") is shown at its item; the basket's under the menu; others next to their field.
    const line = /^lines\[(\d+)\]/.exec(field);
    const item = line ? lines[Number(line[1])]?.menuItemId : null;
    const target = (item && form.querySelector(`[data-error-for-item="${CSS.escape(item)}"]`))
      ?? form.querySelector(`[data-error-for="${CSS.escape(field.startsWith('lines') ? 'lines' : field)}"]`)
      ?? form.querySelector('[data-error-for="$"]');
    if (item) form.querySelector(`input[data-item="${CSS.escape(item)}"]`)?.setAttribute('aria-invalid', 'true');
    target.textContent = [target.textContent, ...messages].filter(Boolean).join(' ');
    form.querySelector(`input[name="${CSS.escape(field)}"]`)?.setAttribute('aria-invalid', 'true');
  }
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  clearErrors();
  button.disabled = true;
  const lines = chosenLines();
  try {
    const response = await fetch('/orders', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
      body: JSON.stringify({
        customer: { name: form.elements['customer.name'].value, email: form.elements['customer.email'].value },
        deliveryAddress: form.elements['deliveryAddress'].value,
        lines,
      }),
    });
    if (response.status === 201) {
      const order = await response.json();
      document.getElementById('order-id').textContent = order.orderId;
      form.hidden = true;
      document.getElementById('result').hidden = false;
      track(order.orderId);
      return;
    }
    const problem = await response.json().catch(() => ({}));
    // A 503 says whether the order may have been placed, and as which order: show all of it.
    const message = [problem.title, problem.detail].filter(Boolean).join(' ') || `The order failed (${response.status}).`;
    showErrors(problem.errors ?? { $: [message] }, lines);
  } catch {
    showErrors({ $: ['The order service cannot be reached. Please try again.'] });
  } finally {
    button.disabled = false;
  }
});

// Polls until the story is told (rejected, or the email sent or failed), for at most two minutes.
const pollEvery = 500;
const pollFor = 120_000;
let tracking = 0;

function setStep(id, text, state) {
  const step = document.getElementById(id);
  step.textContent = text;
  step.className = state;
}

function showStatus(status) {
  setStep('step-received', 'Received', 'done');
  const price = document.getElementById('price');
  if (status.status === 'rejected') {
    setStep('step-priced', 'Rejected', 'failed');
    document.getElementById('rejection').textContent = status.rejection.message;
    price.hidden = true;
  } else if (status.price) {
    const p = status.price;
    setStep('step-priced', `Confirmed: ${money(p.total)} ${p.currency}`, 'done');
    document.getElementById('price-lines').replaceChildren(...p.lines.map(line => {
      const row = document.createElement('tr');
      row.append(...[`${line.quantity} × ${line.name}`, money(line.unitPrice), money(line.lineTotal)]
        .map(text => Object.assign(document.createElement('td'), { textContent: text })));
      return row;
    }));
    document.getElementById('price-subtotal').textContent = money(p.subtotal);
    document.getElementById('price-fee').textContent = money(p.deliveryFee);
    document.getElementById('price-tax').textContent = money(p.tax);
    document.getElementById('price-total').textContent = `${money(p.total)} ${p.currency}`;
    price.hidden = false;
  } else {
    setStep('step-priced', 'Being priced…', 'waiting');
  }
  if (status.email?.status === 'sent') {
    setStep('step-email', 'Email sent', 'done');
  } else if (status.email?.status === 'failed') {
    setStep('step-email', `Email could not be sent: ${status.email.message}`, 'failed');
  } else {
    setStep('step-email', status.status === 'rejected' ? 'No email: the order was rejected' : 'Being emailed…', status.status === 'rejected' ? '' : 'waiting');
  }
  return status.status === 'rejected' || status.email != null;
}

async function track(orderId) {
  const run = ++tracking;
  document.getElementById('tracked-id').textContent = orderId;
  document.getElementById('rejection').textContent = '';
  document.getElementById('price').hidden = true;
  setStep('step-received', 'Received', 'done');
  setStep('step-priced', 'Being priced…', 'waiting');
  setStep('step-email', 'Emailed once confirmed', 'waiting');
  document.getElementById('tracking').hidden = false;
  const until = Date.now() + pollFor;
  while (run === tracking && Date.now() < until) {
    try {
      const response = await fetch(`/orders/${encodeURIComponent(orderId)}`);
      if (response.ok && showStatus(await response.json())) {
        return;
      }
    } catch {
      // The service may be restarting: keep asking until the deadline.
    }
    await new Promise(resolve => setTimeout(resolve, pollEvery));
  }
}

async function lookUp(id) {
  const error = document.getElementById('track-error');
  error.textContent = '';
  const response = await fetch(`/orders/${encodeURIComponent(id)}`).catch(() => null);
  if (response?.ok) {
    track(id);
  } else {
    error.textContent = response?.status === 404 || response?.status === 400
      ? 'No recent order with that id.'
      : 'The order service cannot be reached. Please try again.';
  }
}

document.getElementById('track-form').addEventListener('submit', event => {
  event.preventDefault();
  lookUp(document.getElementById('track-id').value.trim());
});

document.getElementById('another').addEventListener('click', () => {
  tracking++;
  document.getElementById('tracking').hidden = true;
  idempotencyKey = crypto.randomUUID();
  quantityInputs().forEach(input => { input.value = 0; });
  updateTotal();
  document.getElementById('result').hidden = true;
  form.hidden = false;
});

// A link to the page with ?track={id} opens that order's tracking view.
const linked = new URLSearchParams(location.search).get('track');
if (linked) {
  document.getElementById('track-id').value = linked;
  lookUp(linked);
}

fetch('/menu')
  .then(response => response.json())
  .then(renderMenu)
  .catch(() => { menuElement.textContent = 'The menu could not be loaded.'; });
