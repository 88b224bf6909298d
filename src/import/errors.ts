/**
 * The one error the plan readers throw: the file cannot be read as a plan table. `message` is Vietnamese,
 * says what is wrong and where, and is shown to the administrator as is (CLI exit status 1).
 */
export class PlanFileError extends Error {
  /** The file the problem is in, when known. */
  readonly file: string | undefined;

  constructor(message: string, options?: { file?: string; cause?: unknown }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'PlanFileError';
    this.file = options?.file;
  }
}
