// The HTTP status an API error type or SDK exception class stands for (reference §2).
const BY_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  forbidden: 403,
  not_found_error: 404,
  conflict_error: 409,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
  RESOURCE_EXHAUSTED: 429,
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
  UNAUTHENTICATED: 401,
};

const BY_CLASS: Record<string, number> = {
  BadRequestError: 400,
  AuthenticationError: 401,
  PaymentRequiredError: 402,
  PermissionDeniedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  RequestTooLargeError: 413,
  ContentTooLargeError: 413,
  UnprocessableEntityError: 422,
  RateLimitError: 429,
  InternalServerError: 500,
  ServiceUnavailableError: 503,
  GatewayTimeoutError: 504,
  DeadlineExceededError: 504,
  OverloadedError: 529,
};

export function impliedStatus(type: string | undefined, errorClass: string | undefined): number | undefined {
  return (type ? BY_TYPE[type] : undefined) ?? (errorClass ? BY_CLASS[errorClass] : undefined);
}

/** Anthropic's own error types (`overloaded_error`, `request_too_large`, …), as a wrapper may name them in its words. */
export const API_ERROR_TYPES: readonly string[] = Object.keys(BY_TYPE).filter((t) => /^[a-z_]+_(?:error|large)$/.test(t));

/**
 * The type of Anthropic's own message for it, when a client passes the message on without the body
 * (LiteLLM's `AnthropicException - Overloaded`, Claude Code's `API Error: Overloaded`).
 */
export function typeOfMessage(message: string | undefined): string | undefined {
  return message === 'Overloaded' ? 'overloaded_error' : undefined;
}
