/** The eval's cases cannot support a calibration (too few, all right or all wrong, no threshold reaching the target): the message says what to add or change. */
export class CalibrationError extends Error {
  readonly name = 'CalibrationError';
  readonly code = 'calibration_impossible';
  static isInstance(error: unknown): error is CalibrationError {
    return error instanceof Error && error.name === 'CalibrationError';
  }
}
