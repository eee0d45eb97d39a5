// Floor control for `npm run bench` (never shipped): the least a relay can do to pair in secret.
(() => {
  let nonce = '';
  for (const b of crypto.getRandomValues(new Uint8Array(16))) nonce += (b + 256).toString(16).slice(1);
  addEventListener(`talk-inspector:${nonce}`, () => {}, true);
  addEventListener('talk-inspector:recorder-hello', () => {}, true);
  dispatchEvent(new CustomEvent('talk-inspector:relay-hello', { detail: nonce }));
})();
