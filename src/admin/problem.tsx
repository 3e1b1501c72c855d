import type { ServerResponse } from 'node:http';
import { sendHtml } from './app.js';
import { Layout } from './layout.js';

/** Why an admin request was not answered with its page, as a page: what went wrong and what to do. */
export interface Problem {
  status: number;
  title: string;
  message: string;
  /** Extra headers (`allow` on a 405, `retry-after` on a 429). */
  headers?: Record<string, string>;
  /** The session's CSRF token when signed in, so the page keeps its navigation. */
  csrf?: string;
}

export function ProblemPage({ title, message, csrf }: Problem) {
  return (
    <Layout title={title} {...(csrf !== undefined ? { csrf } : {})}>
      <p role="alert">{message}</p>
      <p>
        <a href="/admin">Back to the overview</a>
      </p>
    </Layout>
  );
}

/** Answers a problem page (with ADMIN_HEADERS, as every admin answer). */
export function sendProblem(res: ServerResponse, problem: Problem): void {
  for (const [name, value] of Object.entries(problem.headers ?? {})) res.setHeader(name, value);
  sendHtml(res, problem.status, <ProblemPage {...problem} />);
}

/** 405 with `Allow` (RFC 9110 §15.5.6). */
export function methodNotAllowed(res: ServerResponse, method: string | undefined, allow: string[]): void {
  sendProblem(res, {
    status: 405,
    title: 'Method not allowed',
    message: `${method ?? 'This method'} is not allowed here; use ${allow.join(' or ')}.`,
    headers: { allow: allow.join(', ') },
  });
}

/** 403: a request the admin page will not act on (not signed in, cross-site, no CSRF token), and why. */
export function forbidden(res: ServerResponse, message: string, csrf?: string): void {
  sendProblem(res, { status: 403, title: 'Refused', message, ...(csrf !== undefined ? { csrf } : {}) });
}

/** 413 or 415: a POST body that is not a form the admin page reads. */
export function notAForm(res: ServerResponse, refused: { status: number; message: string }): void {
  sendProblem(res, { status: refused.status, title: 'Refused', message: `${refused.message}.` });
}
