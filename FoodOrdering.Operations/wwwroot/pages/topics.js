// Topics.
'use strict';

registerPage({
  id: 'topics',
  title: 'Topics',
  async render(main) {
    main.replaceChildren(el('h2', { textContent: 'Topics' }));
  },
});
