import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildMessage } from './build-message';
import { compileTemplate } from './compile-template';
import type { OutgoingMessage } from './message';
import { createSmtpProvider } from './providers/smtp';
import { classifySendError } from './send-error';
import { marketingTemplate, TEST_SECRET } from './test-fixtures';
import { headersOf, partOf, startTestSmtpServer, type TestSmtpServer } from './test-smtp-server';
import { createTracking } from './tracking';

const tracking = createTracking({
  publicUrl: 'https://mail.example.com',
  secret: TEST_SECRET,
  unsubscribeMailbox: 'unsubscribe@mail.example.com',
});

async function message(
  overrides: { messageId?: string; email?: string } = {},
): Promise<OutgoingMessage> {
  return buildMessage({
    template: await compileTemplate(marketingTemplate()),
    contact: {
      id: 'c1',
      email: overrides.email ?? 'ana@example.test',
      first_name: 'Ana',
      segments: ['vip'],
    },
    event: { product: 'Green tea', product_id: 42, url: 'https://shop.test/orders/9' },
    workspace: { id: 'w1', name: 'Acme' },
    messageId: overrides.messageId ?? 'm1',
    idempotencyKey: `key:${overrides.messageId ?? 'm1'}`,
    tracking,
  });
}

let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('SMTP provider against a real SMTP server', () => {
  beforeEach(async () => {
    server = await startTestSmtpServer();
  });

  it('delivers the MIME we built: headers, Liquid output and verifiable tracking links', async () => {
    const provider = createSmtpProvider({ smtpUrl: `smtp://127.0.0.1:${server!.port}` });
    const sent = await message();
    const result = await provider.send(sent);
    await provider.close();

    expect(result).toMatchObject({ accepted: true, providerMessageId: sent.internetMessageId });
    expect(server!.received).toHaveLength(1);
    const mail = server!.received[0]!;
    expect(mail).toMatchObject({ from: 'news@acme.test', to: ['ana@example.test'] });

    const headers = headersOf(mail.raw);
    expect(headers.get('message-id')).toBe(sent.internetMessageId);
    expect(headers.get('subject')).toBe('Hi Ana');
    expect(headers.get('from')).toBe('Acme <news@acme.test>');
    expect(headers.get('list-unsubscribe')).toBe(sent.headers['List-Unsubscribe']);
    expect(headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(headers.get('x-relance-message')).toBe('m1');
    const oneClick = /^<https:\/\/mail\.example\.com\/u\/([\w.-]+)>/.exec(
      headers.get('list-unsubscribe')!,
    );
    expect(tracking.verifyUnsubscribe(oneClick![1]!)).toMatchObject({
      contactId: 'c1',
      topic: 'newsletter',
    });

    const html = partOf(mail.raw, 'text/html');
    expect(html).toContain('Hello Ana</h1>');
    expect(html).toContain('You bought Green tea from Acme.');
    expect(html).toContain('VIP: 20% off');
    const clicks = [...html.matchAll(/href="https:\/\/mail\.example\.com\/t\/c\/([\w.-]+)"/g)];
    expect(clicks.map((click) => tracking.verifyClick(click[1]!)?.url)).toEqual([
      'https://shop.test/p?id=42&ref=mail',
      'https://shop.test/orders/9',
    ]);
    expect(html).not.toMatch(/href="https:\/\/shop\.test/);
    const pixel = /<img src="https:\/\/mail\.example\.com\/t\/o\/([\w.-]+)"/.exec(html);
    expect(tracking.verifyOpen(pixel![1]!)).toEqual({ messageId: 'm1' });

    const text = partOf(mail.raw, 'text/plain');
    expect(text).toContain('Hello Ana');
    expect(text).toMatch(/See it \[https:\/\/mail\.example\.com\/t\/c\/[\w.-]+\]/);
  });

  it('sends many messages over a small pool of connections', async () => {
    const provider = createSmtpProvider({
      smtpUrl: `smtp://127.0.0.1:${server!.port}?maxConnections=2`,
    });
    const messages = await Promise.all(
      Array.from({ length: 20 }, (_, i) => message({ messageId: `m${i}` })),
    );
    await Promise.all(messages.map((m) => provider.send(m)));
    await provider.close();
    expect(server!.received).toHaveLength(20);
    expect(server!.connections).toBeLessThanOrEqual(2);
    const ids = server!.received.map((mail) => headersOf(mail.raw).get('x-relance-message'));
    expect(new Set(ids).size).toBe(20);
  });

  it('reports a refused recipient as a permanent hard bounce', async () => {
    await server!.close();
    server = await startTestSmtpServer({
      onRcptTo(address, _session, callback) {
        if (address.address === 'ghost@example.test') {
          callback(
            Object.assign(new Error('5.1.1 <ghost@example.test>: User unknown'), {
              responseCode: 550,
            }),
          );
        } else callback();
      },
    });
    const provider = createSmtpProvider({ smtpUrl: `smtp://127.0.0.1:${server.port}` });
    const error = await provider
      .send(await message({ email: 'ghost@example.test' }))
      .catch((e: unknown) => e);
    await provider.close();
    expect(classifySendError(error)).toMatchObject({
      kind: 'permanent',
      hardBounce: true,
      smtpCode: 550,
      enhancedCode: '5.1.1',
    });
    expect(server.received).toHaveLength(0);
  });

  it('reports rate limiting as throttled', async () => {
    await server!.close();
    server = await startTestSmtpServer({
      onMailFrom(_address, _session, callback) {
        callback(
          Object.assign(new Error('4.7.1 Too many messages, slow down'), { responseCode: 451 }),
        );
      },
    });
    const provider = createSmtpProvider({ smtpUrl: `smtp://127.0.0.1:${server.port}` });
    const error = await provider.send(await message()).catch((e: unknown) => e);
    await provider.close();
    expect(classifySendError(error)).toMatchObject({ kind: 'throttled', smtpCode: 451 });
  });

  it('reports a connection lost after the whole message went out as handed over', async () => {
    await server!.close();
    server = await startTestSmtpServer(
      {},
      { beforeAnswer: (_mail, drop) => Promise.resolve(drop()) },
    );
    const provider = createSmtpProvider({ smtpUrl: `smtp://127.0.0.1:${server.port}` });
    const error = await provider.send(await message()).catch((e: unknown) => e);
    await provider.close();
    expect(server.received).toHaveLength(1);
    expect(classifySendError(error)).toMatchObject({
      kind: 'handed-over',
      message: expect.stringMatching(/did not confirm it: Connection closed unexpectedly/),
    });
  });

  it('reports a send cancelled while the server holds the whole message as handed over', async () => {
    await server!.close();
    const cancel = new AbortController();
    server = await startTestSmtpServer(
      {},
      {
        beforeAnswer: async () => {
          cancel.abort();
          await new Promise((resolve) => setTimeout(resolve, 200));
        },
      },
    );
    const provider = createSmtpProvider({ smtpUrl: `smtp://127.0.0.1:${server.port}` });
    const error = await provider
      .send(await message(), { signal: cancel.signal })
      .catch((e: unknown) => e);
    await provider.close();
    expect(classifySendError(error).kind).toBe('handed-over');
  });

  it('reports a connection lost before the message went out as temporary', async () => {
    await server!.close();
    server = await startTestSmtpServer({
      onRcptTo(_address, session) {
        server!.drop(session);
      },
    });
    const provider = createSmtpProvider({ smtpUrl: `smtp://127.0.0.1:${server.port}` });
    const error = await provider.send(await message()).catch((e: unknown) => e);
    await provider.close();
    expect(server.received).toHaveLength(0);
    expect(classifySendError(error)).toMatchObject({ kind: 'temporary', smtpCode: null });
  });

  it('reports a refusal of the whole message by its reply as it says, not as handed over', async () => {
    await server!.close();
    server = await startTestSmtpServer({
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () =>
          callback(Object.assign(new Error('4.3.0 Queue full, try later'), { responseCode: 451 })),
        );
      },
    });
    const provider = createSmtpProvider({ smtpUrl: `smtp://127.0.0.1:${server.port}` });
    const error = await provider.send(await message()).catch((e: unknown) => e);
    await provider.close();
    expect(classifySendError(error)).toMatchObject({ kind: 'temporary', smtpCode: 451 });
  });
});

describe('SMTP provider connection set-up', () => {
  it('logs in with the credentials of the URL', async () => {
    const logins: string[] = [];
    server = await startTestSmtpServer({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        logins.push(`${auth.username}:${auth.password}`);
        if (auth.password === 'p@ss word') callback(null, { user: auth.username });
        else callback(new Error('Invalid credentials'));
      },
    });
    const provider = createSmtpProvider({
      smtpUrl: `smtp://ana:p%40ss%20word@127.0.0.1:${server.port}`,
    });
    await provider.send(await message());
    await provider.close();
    expect(logins).toEqual(['ana:p@ss word']);
    expect(server.received).toHaveLength(1);
  });

  it('speaks TLS from the first byte with smtps://', async () => {
    server = await startTestSmtpServer({ secure: true });
    const provider = createSmtpProvider({
      smtpUrl: `smtps://127.0.0.1:${server.port}?tls.rejectUnauthorized=false`,
    });
    await provider.send(await message());
    await provider.close();
    expect(server.received[0]?.secure).toBe(true);
  });

  it('refuses a server certificate it cannot verify unless told otherwise', async () => {
    server = await startTestSmtpServer({ secure: true });
    const provider = createSmtpProvider({ smtpUrl: `smtps://127.0.0.1:${server.port}` });
    const error = await provider.send(await message()).catch((e: unknown) => e);
    await provider.close();
    expect(error).toBeInstanceOf(Error);
    expect(classifySendError(error).kind).toBe('temporary');
    expect(server.received).toHaveLength(0);
  });

  it('reports an unreachable server as temporary', async () => {
    const closed = await startTestSmtpServer();
    const port = closed.port;
    await closed.close();
    const provider = createSmtpProvider({ smtpUrl: `smtp://127.0.0.1:${port}` });
    const error = await provider.send(await message()).catch((e: unknown) => e);
    await provider.close();
    expect(classifySendError(error)).toMatchObject({ kind: 'temporary', smtpCode: null });
  });
});
