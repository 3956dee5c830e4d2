export * from './types.js';
export { startYeastarSimulator, YEASTAR_API_PATH, type YeastarSimulator, type YeastarSimulatorOptions } from './yeastar-simulator.js';
export { DEFAULT_YEASTAR_TEMPLATES, type YeastarSimTemplate } from './yeastar-templates.js';
export { MAX_LIVE_TOKENS } from './yeastar-tokens.js';
export { startConnectlySimulator, type ConnectlySimulator, type ConnectlySimulatorOptions } from './connectly-simulator.js';
export { DEFAULT_CONNECTLY_TEMPLATES, type ConnectlySimTemplate } from './connectly-validation.js';
export { createWebhookSender, type SimulatorWebhooks, type WebhookDelivery, type WebhookDeliveryMode, type RawWebhookOptions } from './webhook-sender.js';
export type { ConnectlyReceiptFailure, ConnectlyReceiptLevel } from './connectly-events.js';
export type { YeastarReceiptFailure } from './yeastar-events.js';
