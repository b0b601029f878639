/**
 * The error classes of syncstream. Each has a stable `code`; {@link ERROR_CODES} lists
 * them with what they mean, and a test keeps that list, the classes and the table in
 * docs/errors.md in step.
 */

/** Every error code with a one-line meaning. */
export const ERROR_CODES = {
  SYNCSTREAM_CLOSED: 'The buffer or mirror was closed; it takes no more writes.',
  SYNCSTREAM_STOPPED: 'The host set the stop flag; the mirror refuses further writes.',
  SYNCSTREAM_UNSUPPORTED: 'The operation is not offered by this object (e.g. write on a host).',
  SYNCSTREAM_BAD_REQUEST: 'A request broke the protocol; nothing was changed.',
  SYNCSTREAM_LIMIT: 'A configured limit was reached; the request was refused whole.',
  SYNCSTREAM_HTTP_STATUS: 'The host answered with an error status.',
  SYNCSTREAM_REQUEST_FAILED: 'The host could not be reached or did not answer in time.',
  SYNCSTREAM_UNDELIVERED: 'A mirror could not deliver some lines to its host.',
} as const;

/** One of the codes in {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Base class of every error syncstream throws on purpose. */
export class SyncStreamError extends Error {
  /** A stable, machine-readable code. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A write reached a buffer or mirror that was closed. */
export class ClosedError extends SyncStreamError {
  constructor(message: string, options?: ErrorOptions) {
    super('SYNCSTREAM_CLOSED', message, options);
  }
}

/**
 * The stop flag was set by the buffer's owner (`stopAllMirrors`). The writer is
 * expected to catch it and end, as it would `StopIteration` with the reference.
 */
export class StoppedError extends SyncStreamError {
  constructor(message: string, options?: ErrorOptions) {
    super('SYNCSTREAM_STOPPED', message, options);
  }
}

/** The object does not offer this operation. */
export class UnsupportedError extends SyncStreamError {
  constructor(message: string, options?: ErrorOptions) {
    super('SYNCSTREAM_UNSUPPORTED', message, options);
  }
}

/** A request broke the protocol (answered with 400); nothing was changed. */
export class BadRequestError extends SyncStreamError {
  constructor(message: string, options?: ErrorOptions) {
    super('SYNCSTREAM_BAD_REQUEST', message, options);
  }
}

/** A configured limit was reached (answered with 413); nothing was changed. */
export class LimitError extends SyncStreamError {
  constructor(message: string, options?: ErrorOptions) {
    super('SYNCSTREAM_LIMIT', message, options);
  }
}

/** The host answered with a 4xx or 5xx; the message is the host's own. */
export class HttpStatusError extends SyncStreamError {
  /** The HTTP status the host answered with. */
  readonly status: number;

  constructor(status: number, message: string, options?: ErrorOptions) {
    super('SYNCSTREAM_HTTP_STATUS', message, options);
    this.status = status;
  }
}

/** The host could not be reached, or did not answer within the timeout. */
export class RequestFailedError extends SyncStreamError {
  constructor(message: string, options?: ErrorOptions) {
    super('SYNCSTREAM_REQUEST_FAILED', message, options);
  }
}

/** A mirror gave up on some lines; `undeliveredLines` says how many. */
export class DeliveryError extends SyncStreamError {
  /** How many lines (and records) never reached the host. */
  readonly undeliveredLines: number;

  constructor(undeliveredLines: number, message: string, options?: ErrorOptions) {
    super('SYNCSTREAM_UNDELIVERED', message, options);
    this.undeliveredLines = undeliveredLines;
  }

  /** "3 lines were not delivered to <target>: <why>", with `cause` the last failure. */
  static forLines(count: number, target: string, cause: Error | undefined): DeliveryError {
    const lines = count === 1 ? '1 line was' : `${count} lines were`;
    const reason = cause?.message ?? 'unknown';
    return new DeliveryError(count, `${lines} not delivered to ${target}: ${reason}`, { cause });
  }
}
