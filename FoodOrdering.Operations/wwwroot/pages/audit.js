// Audit.
'use strict';

registerPage({
  id: 'audit',
  title: 'Audit',
  async render(main) {
    main.replaceChildren(el('h2', { textContent: 'Audit' }));
  },
});
