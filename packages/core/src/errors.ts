/**
 * The one error type vesicle throws for anything a user can fix: bad options, bad files,
 * a diverged run. The CLI prints `message` alone and exits non-zero; anything else is a bug.
 */
export class VesicleError extends Error {
  constructor(
    message: string,
    /** A stable machine-readable reason, e.g. `"bad-option"`, `"bad-idx"`, `"diverged"`. */
    readonly code: string = "error",
  ) {
    super(message);
    this.name = "VesicleError";
  }
}

/** Throws a {@link VesicleError} with `code` unless `condition` holds. */
export function check(condition: unknown, message: string, code = "bad-option"): asserts condition {
  if (!condition) throw new VesicleError(message, code);
}
