import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function chunk(): string {
  let out = '';
  for (let i = 0; i < 4; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** A new report ID such as "k3x9-0qpa", from a cryptographic random source. */
export function newReportId(): string {
  return `${chunk()}-${chunk()}`;
}
