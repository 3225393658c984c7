// Dead letters.
'use strict';

registerPage({
  id: 'dead-letters',
  title: 'Dead letters',
  async render(main) {
    main.replaceChildren(el('h2', { textContent: 'Dead letters' }));
  },
});
