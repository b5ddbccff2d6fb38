/** Returns the replacement for a link's URL, or null to leave the link alone. */
export type LinkRewriter = (url: string) => string | null;

const ANCHOR_HREF = /(<(?:a|area)\b[^>]*?\shref\s*=\s*)(?:"([^"]*)"|'([^']*)')/gi;
const NO_TRACK = /\sdata-no-track\b/i;

/**
 * Rewrites the http(s) `href` of every `<a>`/`<area>` in HTML. Links marked `data-no-track`
 * keep their URL. Attribute values are entity-decoded before `rewrite` sees them.
 */
export function rewriteHtmlLinks(html: string, rewrite: LinkRewriter): string {
  return html.replace(
    ANCHOR_HREF,
    (whole, start: string, doubleQuoted: string | undefined, singleQuoted: string | undefined) => {
      if (NO_TRACK.test(whole)) return whole;
      const url = decodeEntities(doubleQuoted ?? singleQuoted ?? '').trim();
      if (!/^https?:\/\//i.test(url)) return whole;
      const replacement = rewrite(url);
      return replacement === null ? whole : `${start}"${escapeAttribute(replacement)}"`;
    },
  );
}

// Text parts show links as bare URLs (html-to-text writes `label [url]`).
const TEXT_URL = /https?:\/\/[^\s<>"'\]]+/gi;

/** Rewrites every http(s) URL in a text part. */
export function rewriteTextLinks(text: string, rewrite: LinkRewriter): string {
  return text.replace(TEXT_URL, (url) => {
    // A sentence's closing punctuation is not part of the link.
    const trailing = /[.,;:!?)]+$/.exec(url)?.[0] ?? '';
    const bare = url.slice(0, url.length - trailing.length);
    return (rewrite(bare) ?? bare) + trailing;
  });
}

/** Appends the open pixel as the last element of the body. */
export function appendOpenPixel(html: string, pixelUrl: string): string {
  const pixel = `<img src="${escapeAttribute(pixelUrl)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;margin:0;padding:0" />`;
  const close = html.toLowerCase().lastIndexOf('</body>');
  return close === -1 ? html + pixel : html.slice(0, close) + pixel + html.slice(close);
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isInteger(code) && code >= 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : entity;
    }
    return NAMED[name.toLowerCase()] ?? entity;
  });
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}
