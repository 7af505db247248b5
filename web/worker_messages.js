// The workers' message loop (train_worker.js, explore_worker.js): once the wasm module is up, each message goes to
// the handler named by its type; a handler's exception goes back as an 'error' message.
/* exported serveMessages */
function serveMessages(ready, handlers, post, onError = () => {}) {
  onmessage = async (e) => {
    if (!(await ready)) return;  // the module did not start: a 'fatal' message has said why
    const handler = handlers[e.data.type];
    if (!handler) return post({ type: 'error', message: `unknown message ${e.data.type}` });
    try {
      handler(e.data);
    } catch (err) {
      onError();
      post({ type: 'error', message: String(err.message || err) });
    }
  };
}
