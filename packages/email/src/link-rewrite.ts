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

// Text parts show links as bare URLs, or as `label [url]` where html-to-text wrote them: inside
// the brackets a URL runs to the closing bracket (a Liquid value may have put spaces in it).
const TEXT_URL = /\[(https?:\/\/[^\]\n]+)\]|https?:\/\/[^\s<>"'\]]+/gi;

/** Rewrites every http(s) URL in a text part. */
export function rewriteTextLinks(text: string, rewrite: LinkRewriter): string {
  return text.replace(TEXT_URL, (url, bracketed: string | undefined) => {
    if (bracketed !== undefined) {
      const inner = bracketed.trim();
      return `[${rewrite(inner) ?? inner}]`;
    }
    // A sentence's closing punctuation is not part of the link.
    const trailing = /[.,;:!?)]+$/.exec(url)?.[0] ?? '';
    const bare = url.slice(0, url.length - trailing.length);
    return (rewrite(bare) ?? bare) + trailing;
  });
}

/**
 * A link's destination as a browser requests it: the host in punycode, spaces and non-ASCII
 * characters of the path, query and fragment percent-encoded, what is already encoded kept.
 * A URL that does not parse is returned as written.
 */
export function normaliseLinkUrl(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

/** Rewrites links whose destination changes when normalised (see normaliseLinkUrl). */
export const normaliseLink: LinkRewriter = (url) => {
  const normalised = normaliseLinkUrl(url);
  return normalised === url ? null : normalised;
};

/**
 * The Location of a click redirect: always a valid header value, even for a link signed before
 * destinations were normalised (non-ASCII or spaces in it).
 */
export function redirectTarget(url: string): string {
  const normalised = normaliseLinkUrl(url.trim());
  // Only a URL that does not parse gets here with raw characters: encode them byte by byte.
  return normalised.replace(/[^\x21-\x7e]/gu, (char) => {
    try {
      return encodeURIComponent(char);
    } catch {
      return '%EF%BF%BD'; // a lone surrogate: the replacement character
    }
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
