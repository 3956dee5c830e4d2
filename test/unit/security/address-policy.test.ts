/** The SSRF address policy: which addresses a client-given URL may reach. */
import fc from 'fast-check';
import { embeddedIpv4, forbiddenAddressReason, forbiddenHostName, ipv6Groups } from '../../../src/security/address-policy.js';
import { checkUrlForm, dispositionFileName } from '../../../src/security/guarded-fetch.js';
import { isAppError } from '../../../src/errors/index.js';

describe('forbiddenAddressReason', () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '0.0.0.0', '0.1.2.3', '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255',
    '192.168.1.1', '169.254.169.254', '169.254.0.1', '100.64.0.1', '100.127.255.255', '100.100.100.200', '192.0.0.192',
    '224.0.0.1', '239.255.255.250', '255.255.255.255', '240.0.0.1', '198.18.0.1', '192.0.2.1',
    '::', '::1', 'fe80::1', 'fe80::1%eth0', 'febf::1', 'fc00::1', 'fd00:ec2::254', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '64:ff9b::10.0.0.1', '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::', '2002:a9fe:a9fe::1', '2001::1', '2001:db8::1', '::127.0.0.1',
  ])('refuses %s', (address) => {
    expect(forbiddenAddressReason(address)).toBeDefined();
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    'allows %s',
    (address) => {
      expect(forbiddenAddressReason(address)).toBeUndefined();
    },
  );

  it('refuses every address of the private ranges, in every IPv6 disguise', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const privateV4 = fc.oneof(
      fc.tuple(fc.constant(10), octet, octet, octet),
      fc.tuple(fc.constant(127), octet, octet, octet),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), octet, octet),
      fc.tuple(fc.constant(192), fc.constant(168), octet, octet),
      fc.tuple(fc.constant(169), fc.constant(254), octet, octet),
      fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), octet, octet),
    );
    fc.assert(
      fc.property(privateV4, ([a, b, c, d]) => {
        const v4 = `${a}.${b}.${c}.${d}`;
        const hex = (x: number, y: number) => ((x << 8) | y).toString(16);
        for (const form of [v4, `::ffff:${v4}`, `::ffff:${hex(a, b)}:${hex(c, d)}`, `64:ff9b::${v4}`, `2002:${hex(a, b)}:${hex(c, d)}::1`]) {
          expect(forbiddenAddressReason(form)).toBeDefined();
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses anything that is not an IP literal', () => {
    for (const text of ['', 'localhost', '1.2.3', '::g', '1.2.3.4.5']) expect(forbiddenAddressReason(text)).toBeDefined();
  });
});

describe('IPv6 helpers', () => {
  it('expands and extracts embedded IPv4', () => {
    expect(ipv6Groups('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Groups('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ipv6Groups('1::2::3')).toBeUndefined();
    expect(embeddedIpv4('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(embeddedIpv4('2002:0102:0304::')).toBe('1.2.3.4');
    expect(embeddedIpv4('2606:4700::1')).toBeUndefined();
  });
});

describe('URL form', () => {
  const codeOf = (url: string, allow: string[] = []) => {
    try {
      checkUrlForm(url, allow);
      return 'ok';
    } catch (err) {
      return isAppError(err) ? err.code : 'thrown';
    }
  };
  it('takes http(s) only, without credentials, and not internal names unless allowed', () => {
    expect(codeOf('https://example.com/a.pdf')).toBe('ok');
    expect(codeOf('ftp://example.com/a')).toBe('URL_NOT_ALLOWED');
    expect(codeOf('javascript:alert(1)')).toBe('URL_NOT_ALLOWED');
    expect(codeOf('data:text/plain,hi')).toBe('URL_NOT_ALLOWED');
    expect(codeOf('https://u:p@example.com/')).toBe('URL_NOT_ALLOWED');
    expect(codeOf('http://localhost/')).toBe('URL_NOT_ALLOWED');
    expect(codeOf('http://api.localhost./')).toBe('URL_NOT_ALLOWED');
    expect(codeOf('http://metadata.google.internal/')).toBe('URL_NOT_ALLOWED');
    expect(codeOf('http://localhost/', ['localhost'])).toBe('ok');
    expect(codeOf('not a url')).toBe('VALIDATION_FAILED');
    expect(forbiddenHostName('LOCALHOST')).toBe(true);
  });

  it('never throws anything but an AppError, whatever the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.string().map((s) => `http://${s}`)), (text) => {
        expect(codeOf(text)).not.toBe('thrown');
      }),
      { numRuns: 300 },
    );
  });

  it('reads Content-Disposition file names', () => {
    expect(dispositionFileName('attachment; filename="a b.pdf"')).toBe('a b.pdf');
    expect(dispositionFileName("attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf")).toBe('€ rates.pdf');
    expect(dispositionFileName('inline')).toBeUndefined();
  });
});
