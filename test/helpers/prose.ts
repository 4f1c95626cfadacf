// The console wraps memalot's sentences to the terminal's width: a test that reads a sentence
// reads it with its line breaks (and the runs of spaces around them) folded into single spaces.
export function prose(text: string): string {
  return text.replace(/\s+/g, ' ');
}
