// Floor control for `npm run bench` (never shipped): the least a document_start recorder can do
// and still see window.ap3c from the start and pair in secret with its relay (hellos as `load`
// events on document, the relay's cancelled to say "paired": see protocol/wire.ts). Same file name
// as the real recorder so the real manifest loads it.
(() => {
  let current;
  Object.defineProperty(window, 'ap3c', {
    configurable: true,
    get: () => current,
    set: (v) => {
      current = v;
    },
  });
  const { addEventListener } = window;
  let type = null;
  const onHello = (e) => {
    if (type === null && typeof e.detail === 'string' && e.detail.startsWith('talk-inspector:relay-hello:')) {
      type = `talk-inspector:${e.detail.slice(27)}:to-recorder`;
      addEventListener.call(window, type, () => {}, true);
      e.preventDefault();
    }
  };
  document.addEventListener('load', onHello);
})();
