/** Field-level messages keyed by path ("scene.steps", "output.format.quality", …). */
export type FieldErrors = Record<string, string>;

/** The message for a field, also taking messages of its sub-fields (the prompt's text, say). */
export function errorFor(errors: FieldErrors, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const prefix = `${path}.`;
  for (const [key, message] of Object.entries(errors)) if (key.startsWith(prefix)) return message;
  return undefined;
}
