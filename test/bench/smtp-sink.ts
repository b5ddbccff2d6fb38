// A local SMTP sink for the email benchmark, run as its own process so that receiving mail does
// not share the sender's event loop. It accepts every message, counts them by their Relance
// message id (else Message-ID) to find duplicates, and refuses the first RCPT for addresses
// containing "flaky" with a 451 (a temporary failure the sender must retry).
//
// Prints `{"port": N}` when listening; answers IPC "stats" with { received, duplicates, cpuMs }
// (the CPU time this process has used, so the benchmark can say where the machine's time goes),
// "reset" by forgetting what it saw, and `{ delayMs }` by taking that long to accept each
// message from then on (a real MTA writes its queue file to disk before answering 250).

import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

const seen = new Set<string>();
const refused = new Set<string>();
let received = 0;
let duplicates = 0;
let delayMs = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  // Many pooled connections at once.
  maxClients: 1000,
  onRcptTo(address, _session, callback) {
    if (address.address.includes('flaky') && !refused.has(address.address)) {
      refused.add(address.address);
      callback(Object.assign(new Error('4.3.2 Try again later'), { responseCode: 451 }));
      return;
    }
    callback();
  },
  onData(stream, _session, callback) {
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if (head.length < 8192) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      const id =
        /^x-relance-message:\s*(\S+)/im.exec(head)?.[1] ?? /^message-id:\s*(\S+)/im.exec(head)?.[1];
      received++;
      if (id) {
        if (seen.has(id)) duplicates++;
        seen.add(id);
      }
      if (delayMs > 0) setTimeout(callback, delayMs);
      else callback();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(
    `${JSON.stringify({ port: (server.server.address() as AddressInfo).port })}\n`,
  );
});
const stats = () => {
  const cpu = process.cpuUsage();
  return { received, duplicates, cpuMs: (cpu.user + cpu.system) / 1000 };
};
process.on('message', (message) => {
  if (typeof message === 'object' && message !== null && 'delayMs' in message) {
    delayMs = Number(message.delayMs);
  }
  if (message === 'reset') {
    seen.clear();
    refused.clear();
    received = 0;
    duplicates = 0;
  }
  process.send?.(stats());
});
process.on('disconnect', () => server.close(() => process.exit(0)));
