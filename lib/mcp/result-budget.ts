// How large a tool result may be. Clients cap what a tool returns to the model (Claude Code, by
// default, refuses results over 25,000 tokens and warns from 10,000), and some show the model
// both the structured content and the text, so the budget counts both: 60,000 characters of
// JSON and text together is about 15,000-20,000 tokens. MEMALOT_MCP_MAX_RESULT_CHARS sets another
// budget for a client that allows more or less.
export const DEFAULT_RESULT_BUDGET = 60_000;

/** Below this, not even a report's heading and the note on what was cut would fit. */
export const MIN_RESULT_BUDGET = 2_000;

export const RESULT_BUDGET_VARIABLE = 'MEMALOT_MCP_MAX_RESULT_CHARS';

/** The budget from the environment; a value that is not a whole number ≥ MIN_RESULT_BUDGET is an error. */
export function resultBudgetFromEnvironment(env: NodeJS.ProcessEnv = process.env): number {
  const value = env[RESULT_BUDGET_VARIABLE];
  if (value === undefined || value.trim() === '') return DEFAULT_RESULT_BUDGET;
  const budget = Number(value);
  if (!Number.isSafeInteger(budget) || budget < MIN_RESULT_BUDGET) {
    throw new Error(`${RESULT_BUDGET_VARIABLE} must be a whole number of characters, at least ${MIN_RESULT_BUDGET}, not ${JSON.stringify(value)}`);
  }
  return budget;
}

/** The size that the budget counts: the structured content as JSON, and the text. */
export function resultSize(structured: unknown, text: string): number {
  return JSON.stringify(structured).length + text.length;
}
