// Floor control for `npm run bench` (never shipped): the least a document_start recorder can do
// and still see window.ap3c from the start and pair in secret with its relay. Same file name as
// the real recorder so the real manifest loads it.
(() => {
  let current;
  Object.defineProperty(window, 'ap3c', {
    configurable: true,
    get: () => current,
    set: (v) => {
      current = v;
    },
  });
  const { addEventListener, dispatchEvent } = window;
  let type = null;
  addEventListener.call(
    window,
    'talk-inspector:relay-hello',
    (e) => {
      if (type === null && typeof e.detail === 'string') type = `talk-inspector:${e.detail}`;
    },
    true,
  );
  dispatchEvent.call(window, new CustomEvent('talk-inspector:recorder-hello'));
})();
