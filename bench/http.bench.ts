/**
 * `npm run bench` (part 5): `kickbot serve`'s HTTP port under oversized bodies. Ten concurrent unsigned 100 MB
 * posts to `/slack/events`, from clients that ignore the answer and keep sending until the server cuts them
 * off; the resident memory of the serve process is sampled throughout. Goal: growth under 50 MB (before the
 * body cap, 100 MB and 300 MB posts took it from 99 MB to 1.3 GB).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { SECRET, TOKEN } from '../test/helpers/slack-rig.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const POSTS = 10;
const SIZE = 100 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'a');

/** Resident set size of a process, in MB (Linux /proc). */
function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

async function startServe(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/kickbot.js'), 'serve'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: 'http://127.0.0.1:9/api/', // never called: nothing here is signed
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /HTTP on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`kickbot serve exited (${code}): ${out}`)));
  });
  return { child, url };
}

/** An attacker's post: sends until the whole body is out or the connection dies, whatever the answer. */
function flood(url: string): Promise<{ status?: number; sentMb: number }> {
  return new Promise((resolve) => {
    const req = request(`${url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    let sent = 0;
    let status: number | undefined;
    const pump = () => {
      while (sent < SIZE && !req.destroyed) {
        sent += CHUNK.length;
        if (!req.write(CHUNK)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    req.on('response', (res) => {
      status = res.statusCode;
      res.resume();
    });
    req.on('error', () => {});
    req.on('close', () => resolve({ status, sentMb: sent / 1024 / 1024 }));
    pump();
  });
}

const { child, url } = await startServe();
const pid = child.pid as number;
await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
await delay(500); // let start-up garbage settle before the baseline
const before = rssMb(pid);
let peak = before;
const sampler = setInterval(() => {
  peak = Math.max(peak, rssMb(pid));
}, 10);
const started = performance.now();
const results = await Promise.all(Array.from({ length: POSTS }, () => flood(url)));
const seconds = (performance.now() - started) / 1000;
peak = Math.max(peak, rssMb(pid));
clearInterval(sampler);
const alive = (await fetch(`${url}/healthz`)).status;
child.kill('SIGTERM');

const f = (mb: number) => `${mb.toFixed(1)} MB`;
const answered = results.filter((r) => r.status === 413).length;
const sentMb = results.reduce((sum, r) => sum + r.sentMb, 0);
console.log(`\n${POSTS} concurrent unsigned ${SIZE / 1024 / 1024} MB posts to /slack/events (kickbot serve)`);
console.log('| RSS before | peak | growth (goal < 50 MB) |');
console.log('|---:|---:|---:|');
console.log(`| ${f(before)} | ${f(peak)} | ${f(peak - before)} |`);
console.log(
  `\n413 answers: ${answered}/${POSTS}; the clients got ${f(sentMb)} onto the wire in all before being cut off; ${seconds.toFixed(1)} s; /healthz afterwards: ${alive}`,
);
if (peak - before >= 50) process.exitCode = 1;
