/**
 * Errors the user can act on. Each carries a stable code and a one-line message that names
 * what and where (file, line, field); the CLI prints the message alone, the stack only with --debug.
 */
export class VouchError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VouchError';
    this.code = code;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
