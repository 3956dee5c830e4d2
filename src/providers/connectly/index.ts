export { createConnectlyClient, type ConnectlyClient, type ConnectlyClientDeps } from './client.js';
export { classifyConnectlyFailure, connectlyRule, CONNECTLY_ERROR_TABLE } from './errors.js';
export * from './request-builder.js';
export * from './response-parser.js';
export { CONNECTLY_CHANNEL_TYPE, DEFAULT_CONNECTLY_BASE_URL, readConnectlyAccount, type ConnectlyAccount, type ConnectlySendDefaults } from './settings.js';
export { toConnectlyParameters, type ConnectlyTemplateParameter } from './template-parameters.js';
export { connectlyMessageContent } from './session-content.js';
