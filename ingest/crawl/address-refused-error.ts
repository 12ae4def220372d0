/** The crawler was sent to a private, loopback or link-local address that CRAWL_ALLOW_PRIVATE does not allow. */
export class AddressRefusedError extends Error {
  readonly name = 'AddressRefusedError';
  readonly code = 'address_refused';
  constructor(
    message: string,
    /** The address refused. */
    readonly address: string,
  ) {
    super(message);
  }
  static isInstance(error: unknown): error is AddressRefusedError {
    return error instanceof Error && error.name === 'AddressRefusedError';
  }
}
