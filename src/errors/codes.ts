/**
 * The registry of stable error codes. Clients match on `code`; messages may change, codes do not.
 * `status` is the HTTP status the API answers with.
 */
export const ERROR_CODES = {
  // Requests
  VALIDATION_FAILED: { status: 400, description: 'A field is missing, of the wrong type or out of range.' },
  INVALID_JSON: { status: 400, description: 'The body is not valid JSON.' },
  INVALID_PHONE_NUMBER: { status: 400, description: 'A phone number cannot be read as a valid number.' },
  CONTENT_REQUIRED: { status: 400, description: 'The content its content_type needs is missing.' },
  SEND_TIME_INVALID: { status: 400, description: 'send_time is missing, or not in the future, for a scheduled campaign.' },
  TOO_MANY_RECIPIENTS: { status: 400, description: 'More inline recipients than the documented cap.' },
  UNKNOWN_CHANNEL: { status: 400, description: 'channel_id names no channel of ours.' },
  UNKNOWN_PHONEBOOK: { status: 400, description: 'recipient_id names no phonebook of ours.' },
  CONTENT_NOT_SUPPORTED: { status: 400, description: "The content type cannot be sent on the channel's kind (e.g. a template on SMS)." },
  NO_RECIPIENTS: { status: 400, description: 'The campaign names no recipient.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The body has a content type the route does not take.' },
  URI_TOO_LONG: { status: 414, description: 'A path segment (e.g. an id) is longer than the router accepts.' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The body is larger than the route allows.' },
  CSV_HEADER_INVALID: { status: 400, description: 'The CSV has no header row, or its header lacks a required column (e.g. number) or names one twice.' },
  CSV_MALFORMED: { status: 400, description: 'The CSV cannot be read at all (its structure, not one row, is broken).' },
  UPLOAD_INCOMPLETE: { status: 400, description: 'The body ended early: the client closed the connection before the upload was complete; nothing was stored.' },
  CAPABILITY_NOT_SUPPORTED: { status: 400, description: "The channel's provider cannot do this (e.g. list templates or store files on Connectly)." },
  TEMPLATE_NOT_FOUND: { status: 400, description: 'template_name (and template_language, if given) names no approved template of the channel.' },
  TEMPLATE_VARIABLES_MISSING: { status: 400, description: "A recipient lacks a variable the template's placeholders need." },
  TEMPLATE_PARAMETERS_INVALID: { status: 400, description: "msg_param does not match the provider's template (name, language, parameter count or names)." },
  NO_FILES: { status: 400, description: 'A file upload carried no file in the form field `files`.' },
  WEBHOOK_PAYLOAD_INVALID: { status: 400, description: 'A signed webhook body is not JSON, or not the envelope its provider sends.' },
  WEBHOOK_STALE: { status: 400, description: "A signed webhook's own timestamp lies outside the replay window (older than WEBHOOK_MAX_AGE_SECONDS, or too far in the future)." },
  URL_NOT_ALLOWED: { status: 400, description: 'A URL we were asked to fetch is not http(s), or its host is (or resolves to) a loopback, private, link-local or otherwise internal address.' },
  URL_FETCH_FAILED: { status: 400, description: 'A URL we were asked to fetch could not be downloaded: unreachable, timed out, not 2xx, too many redirects, or larger than the limit.' },
  // Auth
  UNAUTHENTICATED: { status: 401, description: 'No API key, or one that is unknown or revoked.' },
  FORBIDDEN: { status: 403, description: 'The API key lacks the scope the route needs (read, send or admin).' },
  CSRF_TOKEN_INVALID: { status: 403, description: "A dashboard button's POST without the page's CSRF token (x-csrf-token header) and the session cookie it was issued with." },
  RATE_LIMITED: { status: 429, description: 'The API key sent more requests than its rate limit allows; retry after the Retry-After header\'s seconds.' },
  WEBHOOK_SIGNATURE_INVALID: { status: 401, description: "A webhook without a signature, or one that matches no channel's webhookSecret." },
  // Resources
  NOT_FOUND: { status: 404, description: 'No such route.' },
  CHANNEL_NOT_FOUND: { status: 404, description: 'No channel with that id.' },
  CAMPAIGN_NOT_FOUND: { status: 404, description: 'No campaign with that id.' },
  MESSAGE_NOT_FOUND: { status: 404, description: 'No one-off message (POST /v1/messages) with that id.' },
  PHONEBOOK_NOT_FOUND: { status: 404, description: 'No phonebook with that id.' },
  CAMPAIGN_STATE_CONFLICT: { status: 409, description: 'The campaign is not in a state that allows this.' },
  CAMPAIGN_BUSY: { status: 409, description: 'Another upload or change holds the campaign; retry when it has finished.' },
  CAMPAIGN_EXPIRED: { status: 409, description: 'The campaign reached its expires_at before it could (re)start; it is now expired.' },
  // Providers (recorded in the ledger; reach the API only through campaign reads)
  PROVIDER_RETRYABLE: { status: 502, description: 'The provider failed in a way worth retrying.' },
  PROVIDER_PERMANENT: { status: 502, description: 'The provider rejected the message for good.' },
  PROVIDER_WINDOW_CLOSED: { status: 502, description: 'The 24-hour window is closed for a session message.' },
  PROVIDER_AUTH: { status: 502, description: 'The provider refused our credentials.' },
  PROVIDER_RATE_LIMITED: { status: 502, description: 'The provider asked us to slow down.' },
  // Infrastructure
  DEPENDENCY_UNAVAILABLE: { status: 503, description: "Postgres, Redis or the channel's provider cannot be reached." },
  CREDENTIALS_UNREADABLE: { status: 500, description: "A channel's stored credentials cannot be decrypted with the configured CREDENTIALS_KEY / CREDENTIALS_PREVIOUS_KEYS." },
  INTERNAL: { status: 500, description: 'An unexpected error; see the logs.' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
