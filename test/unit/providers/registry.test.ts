import { createProviderRegistry } from '../../../src/providers/registry.js';
import type { ChannelSpec } from '../../../src/providers/types.js';
import { createMemorySharedStore } from '../../fixtures/memory-shared-store.js';
import { testLogger } from '../../fixtures/test-logger.js';

const yeastar: ChannelSpec = {
  id: 'ch-y',
  provider: 'yeastar',
  kind: 'whatsapp',
  senderId: '+15550100',
  settings: { baseUrl: 'http://127.0.0.1:9/openapi/v1.0', channelType: 'whatsapp' },
  credentials: { clientId: 'id', clientSecret: 'secret' },
};
const connectly: ChannelSpec = {
  id: 'ch-c',
  provider: 'connectly',
  kind: 'sms',
  senderId: '+15550101',
  settings: { businessId: 'b' },
  credentials: { apiKey: 'k' },
};

describe('provider registry', () => {
  it('caches one client per channel and rebuilds it when settings or credentials change', async () => {
    const registry = createProviderRegistry({ store: createMemorySharedStore(), userAgent: 'test', log: testLogger() });
    const first = registry.clientFor(yeastar);
    expect(first.provider).toBe('yeastar');
    expect(registry.clientFor({ ...yeastar, settings: { channelType: 'whatsapp', baseUrl: yeastar.settings.baseUrl } })).toBe(first);
    const rebuilt = registry.clientFor({ ...yeastar, credentials: { clientId: 'id', clientSecret: 'rotated' } });
    expect(rebuilt).not.toBe(first);
    expect(registry.clientFor(connectly).provider).toBe('connectly');
    await registry.close();
  });

  it('refuses a misconfigured channel with a permanent error naming the setting', async () => {
    const registry = createProviderRegistry({ store: createMemorySharedStore(), userAgent: 'test', log: testLogger() });
    expect(() => registry.clientFor({ ...connectly, settings: {} })).toThrow(
      expect.objectContaining({ errorClass: 'permanent', providerCode: 'CHANNEL_MISCONFIGURED', field: 'settings.businessId' }),
    );
    expect(() => registry.clientFor({ ...yeastar, credentials: {} })).toThrow(expect.objectContaining({ field: 'credentials.clientId' }));
    await registry.close();
  });

  it('hands out upload and template lookup for Yeastar channels only, from the cached client', async () => {
    const registry = createProviderRegistry({ store: createMemorySharedStore(), userAgent: 'test', log: testLogger() });
    const capabilities = registry.capabilitiesFor(yeastar);
    expect(typeof capabilities.uploader?.uploadFiles).toBe('function');
    expect(typeof capabilities.templates?.searchTemplates).toBe('function');
    expect(registry.capabilitiesFor(yeastar)).toBe(capabilities);
    expect(registry.capabilitiesFor(connectly)).toEqual({});
    expect(() => registry.capabilitiesFor({ ...yeastar, id: 'other', credentials: {} })).toThrow(
      expect.objectContaining({ providerCode: 'CHANNEL_MISCONFIGURED' }),
    );
    await registry.close();
  });
});
