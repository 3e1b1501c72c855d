import type { ComponentChildren } from 'preact';

/** The pages in the navigation, in order. */
export const NAV = [
  { href: '/admin', label: 'Overview' },
  { href: '/admin/cases', label: 'Cases' },
  { href: '/admin/batches', label: 'Running batches' },
  { href: '/admin/areas', label: 'Areas' },
  { href: '/admin/install', label: 'Install' },
] as const;

export interface LayoutProps {
  title: string;
  /** The nav entry of this page (its href), marked `aria-current`. */
  current?: string;
  /** The session's CSRF token (the sign-out form carries it); absent on the sign-in page. */
  csrf?: string;
  children: ComponentChildren;
  /** Scripts of this page (served from /admin/assets/). */
  scripts?: string[];
}

/** Every admin page: a skip link, the navigation, a sign-out button, the page's content. */
export function Layout({ title, current, csrf, children, scripts = [] }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · kickbot admin`}</title>
        <link rel="stylesheet" href="/admin/assets/admin.css" />
        <link rel="icon" href="data:," />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header>
          <strong>kickbot admin</strong>
          {csrf !== undefined && (
            <nav aria-label="Admin pages">
              <ul>
                {NAV.map((n) => (
                  <li key={n.href}>
                    <a href={n.href} aria-current={n.href === current ? 'page' : undefined}>
                      {n.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {csrf !== undefined && (
            <form method="post" action="/admin/sign-out">
              <input type="hidden" name="csrf" value={csrf} />
              <button type="submit">Sign out</button>
            </form>
          )}
        </header>
        <main id="main">
          <h1>{title}</h1>
          {children}
        </main>
        {scripts.map((s) => (
          <script key={s} src={`/admin/assets/${s}`} defer />
        ))}
      </body>
    </html>
  );
}
