/** A credential the connector sends, and what stands for it should an answer ever repeat it. */
export interface Secret {
  value: string;
  as: string;
}

/** A base64 fragment shorter than this is too likely to occur by chance to be taken for a secret. */
const MIN_BASE64_CORE = 8;

/**
 * The forms in which an answer may repeat a secret: as sent, URL-encoded (`%2B`, `%2b`, and `+` for a space as
 * forms write it), JSON-escaped (a JSON text inside a string, `\/` included), and base64 (standard and URL-safe)
 * wherever it sits in the encoded data: for each of the three byte alignments, the part of the encoding that
 * only the secret's own bytes decide, as secret scanners match it.
 */
export function encodedForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const url = encodeURIComponent(secret);
  forms.add(url);
  forms.add(url.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
  forms.add(url.replace(/%20/g, '+'));
  const json = JSON.stringify(secret).slice(1, -1);
  forms.add(json);
  forms.add(json.replace(/\//g, '\\/'));
  for (const core of base64Cores(Buffer.from(secret, 'utf8'))) {
    forms.add(core);
    forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  forms.delete('');
  return [...forms];
}

function base64Cores(bytes: Buffer): string[] {
  const cores: string[] = [];
  for (let lead = 0; lead < 3; lead++) {
    const encoded = Buffer.concat([Buffer.alloc(lead), bytes]).toString('base64');
    // The first group of four mixes the lead bytes in; the last partial group mixes in whatever follows.
    const start = lead === 0 ? 0 : 4;
    const end = Math.floor((lead + bytes.length) / 3) * 4;
    const core = encoded.slice(start, end);
    if (core.length >= MIN_BASE64_CORE) cores.push(core);
  }
  return cores;
}

/** Replaces every form of every secret in a text, longest forms first (so a form never leaves part of a longer one). */
export class SecretScrubber {
  readonly #forms: readonly { form: string; as: string }[];

  constructor(secrets: readonly Secret[]) {
    this.#forms = secrets
      .filter((s) => s.value.length > 0)
      .flatMap((s) => encodedForms(s.value).map((form) => ({ form, as: s.as })))
      .sort((a, b) => b.form.length - a.form.length);
  }

  text(text: string): string {
    return this.#forms.reduce((t, { form, as }) => (t.includes(form) ? t.split(form).join(as) : t), text);
  }

  /** Every string in a parsed JSON value, however deep, keys included. */
  value(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.value(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.text(k), this.value(v)]));
    }
    return value;
  }
}
