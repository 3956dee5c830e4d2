export * from './types.js';
export { ProviderError, isProviderError } from './provider-error.js';
export { createProviderRegistry, type ProviderRegistry, type ProviderRegistryDeps } from './registry.js';
export { createProviderHttp, DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts, type ProviderHttp } from './http-client.js';
export { createYeastarClient } from './yeastar/client.js';
export { classifySendError } from './yeastar/errors.js';
export { createConnectlyClient } from './connectly/client.js';
export { supportsContent, supportedContentKinds, assertContentSupported, CONTENT_SUPPORT } from './capabilities.js';
export { validateTemplateParameters, templatePlaceholders, type TemplateProblem } from './template-validation.js';
