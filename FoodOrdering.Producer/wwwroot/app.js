// The order page: reads GET /menu, posts POST /orders, shows the order id or the API's field errors.
const form = document.getElementById('order-form');
const menuElement = document.getElementById('menu');
const button = document.getElementById('place-order');
let menu = [];
let idempotencyKey = crypto.randomUUID();

function money(value) {
  return value.toFixed(2);
}

function quantityInputs() {
  return [...menuElement.querySelectorAll('input[data-item]')];
}

function renderMenu(response) {
  menu = response.items;
  document.getElementById('currency').textContent = response.currency;
  menuElement.replaceChildren(...response.categories.flatMap(category => [
    Object.assign(document.createElement('div'), { className: 'category', textContent: category }),
    ...menu.filter(item => item.category === category).map(item => {
      const row = document.createElement('label');
      row.className = 'item';
      const name = Object.assign(document.createElement('span'), { textContent: item.name });
      const price = Object.assign(document.createElement('span'), { textContent: money(item.unitPrice) });
      const quantity = Object.assign(document.createElement('input'), { type: 'number', min: 0, max: 20, value: 0 });
      quantity.dataset.item = item.id;
      quantity.setAttribute('aria-label', `Quantity of ${item.name}`);
      quantity.addEventListener('input', updateTotal);
      row.append(name, price, quantity);
      return row;
    }),
  ]));
}

function chosenLines() {
  return quantityInputs()
    .map(input => ({ menuItemId: input.dataset.item, quantity: Number(input.value) }))
    .filter(line => line.quantity > 0);
}

function updateTotal() {
  const prices = Object.fromEntries(menu.map(item => [item.id, item.unitPrice]));
  const total = chosenLines().reduce((sum, line) => sum + prices[line.menuItemId] * line.quantity, 0);
  document.getElementById('total').textContent = money(total);
}

function clearErrors() {
  form.querySelectorAll('[data-error-for]').forEach(element => { element.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach(element => element.removeAttribute('aria-invalid'));
}

function showErrors(errors) {
  for (const [field, messages] of Object.entries(errors)) {
    // Line errors ("lines[2].quantity") are shown under the menu; others next to their field.
    const key = field.startsWith('lines') ? 'lines' : field;
    const target = form.querySelector(`[data-error-for="${CSS.escape(key)}"]`) ?? form.querySelector('[data-error-for="$"]');
    target.textContent = [target.textContent, ...messages].filter(Boolean).join(' ');
    form.querySelector(`input[name="${CSS.escape(field)}"]`)?.setAttribute('aria-invalid', 'true');
  }
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  clearErrors();
  button.disabled = true;
  try {
    const response = await fetch('/orders', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
      body: JSON.stringify({
        customer: { name: form.elements['customer.name'].value, email: form.elements['customer.email'].value },
        deliveryAddress: form.elements['deliveryAddress'].value,
        lines: chosenLines(),
      }),
    });
    if (response.status === 201) {
      const order = await response.json();
      document.getElementById('order-id').textContent = order.orderId;
      form.hidden = true;
      document.getElementById('result').hidden = false;
      return;
    }
    const problem = await response.json().catch(() => ({}));
    // A 503 says whether the order may have been placed, and as which order: show all of it.
    const message = [problem.title, problem.detail].filter(Boolean).join(' ') || `The order failed (${response.status}).`;
    showErrors(problem.errors ?? { $: [message] });
  } catch {
    showErrors({ $: ['The order service cannot be reached. Please try again.'] });
  } finally {
    button.disabled = false;
  }
});

document.getElementById('another').addEventListener('click', () => {
  idempotencyKey = crypto.randomUUID();
  quantityInputs().forEach(input => { input.value = 0; });
  updateTotal();
  document.getElementById('result').hidden = true;
  form.hidden = false;
});

fetch('/menu')
  .then(response => response.json())
  .then(renderMenu)
  .catch(() => { menuElement.textContent = 'The menu could not be loaded.'; });
