/** Invalid settings: one line per variable, each naming it and what it accepts. */
export class ConfigError extends Error {
  readonly name = 'ConfigError';
  readonly code = 'config_invalid';
  static isInstance(error: unknown): error is ConfigError {
    return error instanceof Error && error.name === 'ConfigError';
  }
}
