// What went wrong, as text, for whatever was thrown: the program's code (an outputFunc, a
// strFunc, a getter) can throw anything, including values that cannot be turned into a string
// (Object.create(null), a Proxy that throws, an Error whose message getter throws). Describing
// it must never throw in turn, or the failure would reach the program after all.
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) {
      const message: unknown = error.message;
      if (typeof message === 'string') return message;
    }
    if (typeof error === 'string') return error;
    return String(error);
  } catch {
    // fall through: neither the message nor the value's own conversion can be read
  }
  try {
    return `a value that cannot be shown as text (${typeof error === 'object' && error !== null ? 'an object' : typeof error})`;
  } catch {
    return 'a value that cannot be shown as text';
  }
}

/** What was thrown, as String() shows it ("Error: message"), or as describeError when it cannot be. */
export function thrownText(error: unknown): string {
  try {
    const text: unknown = String(error);
    if (typeof text === 'string') return text;
  } catch {
    // not convertible: described below
  }
  return describeError(error);
}
