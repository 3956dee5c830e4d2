export { createYeastarClient, type YeastarClient, type YeastarClientDeps } from './client.js';
export { classifySendError, classifyYeastarFailure, isTokenExpired, YEASTAR_ERRCODE_TABLE, YEASTAR_SEND_ERROR_TABLE } from './errors.js';
export { buildYeastarSendRequest, MAX_REQUEST_ID_LENGTH, type YeastarSendRequest } from './request-builder.js';
export * from './response-parser.js';
export { readYeastarAccount, type YeastarAccount, type YeastarSendDefaults } from './settings.js';
export { createYeastarTokenManager, yeastarTokenKey, type YeastarTokenManager } from './token-manager.js';
export { buildUploadForm, MAX_UPLOAD_BYTES } from './file-upload.js';
export { templateQueryParams, toTemplateDefinition, DEFAULT_TEMPLATE_PAGE_SIZE } from './template-lookup.js';
