// Consumer groups.
'use strict';

registerPage({
  id: 'consumer-groups',
  title: 'Consumer groups',
  async render(main) {
    main.replaceChildren(el('h2', { textContent: 'Consumer groups' }));
  },
});
