/** The database holds no Verbatim schema, an older one, or one written by a newer Verbatim: refused, with what to do. */
export class DatabaseSchemaError extends Error {
  readonly name = 'DatabaseSchemaError';
  readonly code = 'database_schema';
  constructor(message: string) {
    super(message);
  }
  static isInstance(error: unknown): error is DatabaseSchemaError {
    return error instanceof Error && error.name === 'DatabaseSchemaError';
  }
}
