// A start-up failure the user fixes with a setting (a busy port...): the demo prints its message
// as one line instead of a stack trace.
export class DemoStartError extends Error {
  override name = 'DemoStartError';
}
