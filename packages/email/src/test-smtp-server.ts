import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';

/** A message as the test SMTP server received it. */
export type ReceivedMail = { from: string; to: string[]; raw: string; secure: boolean };

export type TestSmtpServer = {
  port: number;
  received: ReceivedMail[];
  connections: number;
  /** Cuts a session's connection at once, as a crashed server or a network failure would. */
  drop(session: SMTPServerSession): void;
  close(): Promise<void>;
};

/**
 * Starts a real SMTP server on 127.0.0.1 and a free port, keeping every message it accepts.
 * `beforeAnswer` runs once a message has been received, before the server answers 250: a test
 * can hold the answer back (e.g. to kill the sender while it waits), or `drop()` the connection
 * without answering (the message is kept: a real server may have queued it).
 */
export async function startTestSmtpServer(
  options: SMTPServerOptions = {},
  hooks: { beforeAnswer?: (mail: ReceivedMail, drop: () => void) => Promise<void> } = {},
): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const state = { connections: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      state.connections++;
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
        };
        received.push(mail);
        if (!hooks.beforeAnswer) return callback();
        const drop = () => dropConnection(server, session);
        void hooks.beforeAnswer(mail, drop).then(() => callback(), callback);
      });
    },
    ...options,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    get connections() {
      return state.connections;
    },
    drop: (session) => dropConnection(server, session),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function dropConnection(server: SMTPServer, session: SMTPServerSession): void {
  const connections = server.connections as Set<{ session: unknown; _socket: Socket }>;
  for (const connection of connections) {
    if (connection.session === session) connection._socket.destroy();
  }
}

/** Header values by lower-case name, unfolded (RFC 5322: a line break before whitespace). */
export function headersOf(raw: string): Map<string, string> {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n(?=[ \t])/g, '');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** The decoded body of the first MIME part with this content type. */
export function partOf(raw: string, contentType: 'text/html' | 'text/plain'): string {
  const boundaries = [...raw.matchAll(/boundary="?([^";\r\n]+)"?/g)].map((match) => match[1]!);
  const parts = boundaries.reduce(
    (all, boundary) => all.flatMap((part) => part.split(`--${boundary}`)),
    [raw],
  );
  for (const part of parts) {
    const split = part.indexOf('\r\n\r\n');
    const headers = headersOf(part.replace(/^\r\n/, ''));
    if (!headers.get('content-type')?.startsWith(contentType)) continue;
    const body = part.slice(split + 4);
    const encoding = headers.get('content-transfer-encoding');
    if (encoding === 'quoted-printable') {
      const bytes = body
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    }
    return encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  }
  throw new Error(`No ${contentType} part in the message`);
}
