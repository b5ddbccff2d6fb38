import { describe, expect, it } from 'vitest';
import { classifyEngagement } from './engagement-agent';

const get = (userAgent: string | null) => classifyEngagement({ userAgent, method: 'GET' });

describe('classifyEngagement', () => {
  it('takes the bare Mozilla/5.0 of Apple’s privacy proxy for a machine', () => {
    expect(get('Mozilla/5.0')).toEqual({
      agent: 'apple_privacy_proxy',
      machine: true,
      machineReason: 'apple_privacy',
    });
  });

  it('takes scanners and scripts that name themselves, and HEAD requests, for machines', () => {
    for (const ua of [
      'Mozilla/5.0 (compatible; Barracuda Sentinel (EE))',
      'python-requests/2.31.0',
      'curl/8.4.0',
      'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
    ]) {
      expect(get(ua), ua).toMatchObject({ agent: 'scanner', machine: true });
    }
    expect(
      classifyEngagement({ userAgent: 'Mozilla/5.0 (Windows NT 10.0) Chrome/120', method: 'HEAD' }),
    ).toEqual({ agent: 'browser', machine: true, machineReason: 'head_request' });
  });

  it('counts browsers, mail clients, the Gmail and Yahoo proxies and unknown agents as people', () => {
    expect(
      get('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15'),
    ).toEqual({ agent: 'browser', machine: false });
    expect(get('Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328)')).toEqual({
      agent: 'browser',
      machine: false,
    });
    expect(
      get(
        'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
      ),
    ).toEqual({ agent: 'gmail_image_proxy', machine: false });
    expect(get('YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html')).toEqual(
      { agent: 'yahoo_image_proxy', machine: false },
    );
    expect(get(null)).toEqual({ agent: 'unknown', machine: false });
    expect(get('okhttp/4.12.0')).toEqual({ agent: 'unknown', machine: false });
  });
});
