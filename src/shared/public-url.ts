/**
 * An absolute address on the Directory: its public address (PUBLIC_URL, with or without a
 * trailing slash) before a path that starts with "/". Mail, feeds, printed pages and the pages'
 * language alternates all need one, since they are read away from the site.
 */
export function absoluteUrl(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${path}`;
}
