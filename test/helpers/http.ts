import { once } from 'node:events';
import { request } from 'node:http';
import { connect } from 'node:net';

/** Writes `raw` bytes to the server of `url` and resolves with everything it answers, once it closes. */
export async function sendRaw(url: string, raw: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  let answer = '';
  socket.setEncoding('utf8').on('data', (d: string) => {
    answer += d;
  });
  socket.on('error', () => {}); // a reset after the answer is part of what is tested
  socket.write(raw);
  await once(socket, 'close');
  return answer;
}

export interface Streamed {
  /** The answer's status; undefined when the connection ended without one. */
  status?: number;
  /** Body bytes the client had handed to its socket when the answer came. */
  writtenAtAnswer: number;
  /** Whether the client got to send the whole body. */
  finished: boolean;
}

/**
 * POSTs a `total`-byte body in 64 kB chunks (chunked, no Content-Length, as an attacker would), respecting
 * backpressure, and stops sending as soon as an answer arrives. Resolves once the connection is over.
 */
export function streamBody(
  url: string,
  total: number,
  headers: Record<string, string> = {},
): Promise<Streamed> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const out: Streamed = { writtenAtAnswer: 0, finished: false };
    let written = 0;
    const pump = () => {
      while (written < total && out.status === undefined && !req.destroyed) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (written >= total && !req.destroyed) {
        out.finished = true;
        req.end();
      }
    };
    req.on('response', (res) => {
      out.status = res.statusCode;
      out.writtenAtAnswer = written;
      res.resume();
      res.once('end', () => req.destroy());
    });
    req.on('error', () => {}); // EPIPE / ECONNRESET once the server has closed: expected
    req.on('close', () => resolve(out));
    pump();
  });
}
