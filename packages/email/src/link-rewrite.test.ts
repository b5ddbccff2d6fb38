import { describe, expect, it } from 'vitest';
import {
  appendOpenPixel,
  normaliseLinkUrl,
  redirectTarget,
  rewriteHtmlLinks,
  rewriteTextLinks,
} from './link-rewrite';

const mark = (url: string) =>
  url.startsWith('https://own.test/') ? null : `https://own.test/c?${url}`;

describe('rewriteHtmlLinks', () => {
  it.each([
    ['<a href="https://a.test/x">x</a>', '<a href="https://own.test/c?https://a.test/x">x</a>'],
    [
      "<a class='b' href='http://a.test/'>x</a>",
      '<a class=\'b\' href="https://own.test/c?http://a.test/">x</a>',
    ],
    [
      '<a\n  href="https://a.test/?p=1&amp;q=2"\n>x</a>',
      '<a\n  href="https://own.test/c?https://a.test/?p=1&amp;q=2"\n>x</a>',
    ],
    [
      '<area shape="rect" href="https://a.test/">',
      '<area shape="rect" href="https://own.test/c?https://a.test/">',
    ],
    ['<A HREF="HTTPS://a.test/">x</A>', '<A HREF="https://own.test/c?HTTPS://a.test/">x</A>'],
  ])('rewrites %j', (html, expected) => {
    expect(rewriteHtmlLinks(html, mark)).toBe(expected);
  });

  it.each([
    ['mailto links', '<a href="mailto:a@b.test">m</a>'],
    ['tel links', '<a href="tel:+331234">t</a>'],
    ['anchors', '<a href="#top">t</a>'],
    ['empty links', '<a href="">t</a>'],
    ['our own links', '<a href="https://own.test/u/tok">unsubscribe</a>'],
    ['links marked data-no-track', '<a data-no-track href="https://a.test/">x</a>'],
    ['non-link elements', '<link href="https://a.test/style.css"><img src="https://a.test/i.png">'],
  ])('leaves %s alone', (_label, html) => {
    expect(rewriteHtmlLinks(html, mark)).toBe(html);
  });

  it('decodes entities before handing the URL over', () => {
    const seen: string[] = [];
    rewriteHtmlLinks('<a href="https://a.test/?a=1&amp;b=&#50;&#x33;">x</a>', (url) => {
      seen.push(url);
      return null;
    });
    expect(seen).toEqual(['https://a.test/?a=1&b=23']);
  });
});

describe('rewriteTextLinks', () => {
  it('rewrites bare and bracketed URLs, keeping sentence punctuation outside', () => {
    expect(
      rewriteTextLinks(
        'See it [https://a.test/x] or https://b.test/y. Bye https://own.test/u/t',
        mark,
      ),
    ).toBe(
      'See it [https://own.test/c?https://a.test/x] or https://own.test/c?https://b.test/y. Bye https://own.test/u/t',
    );
  });
});

describe('appendOpenPixel', () => {
  it('adds the pixel just before </body>, or at the end of a fragment', () => {
    expect(appendOpenPixel('<html><body><p>a</p></body></html>', 'https://own.test/o?a&b')).toMatch(
      /<p>a<\/p><img src="https:\/\/own\.test\/o\?a&amp;b" width="1" height="1" alt=""[^>]*\/><\/body><\/html>$/,
    );
    expect(appendOpenPixel('<p>a</p>', 'https://own.test/o')).toMatch(
      /^<p>a<\/p><img src="https:\/\/own\.test\/o"/,
    );
  });
});

describe('normaliseLinkUrl', () => {
  it.each([
    ['https://shop.fr/soldes-d’été', 'https://shop.fr/soldes-d%E2%80%99%C3%A9t%C3%A9'],
    ['https://shop.test/🎉?q=é', 'https://shop.test/%F0%9F%8E%89?q=%C3%A9'],
    [
      'https://магазин.рф/каталог',
      'https://xn--80aairftm.xn--p1ai/%D0%BA%D0%B0%D1%82%D0%B0%D0%BB%D0%BE%D0%B3',
    ],
    ['https://shop.test/c/SUMMER 50/50', 'https://shop.test/c/SUMMER%2050/50'],
    // What is already encoded stays as it is.
    ['https://shop.test/p?q=a%20b&r=%C3%A9#frag', 'https://shop.test/p?q=a%20b&r=%C3%A9#frag'],
  ])('writes %j as %j', (url, expected) => {
    expect(normaliseLinkUrl(url)).toBe(expected);
  });

  it('leaves a URL that does not parse as written', () => {
    expect(normaliseLinkUrl('https://exa mple.test/')).toBe('https://exa mple.test/');
  });
});

describe('redirectTarget', () => {
  it.each([
    ['https://shop.fr/soldes-d’été', 'https://shop.fr/soldes-d%E2%80%99%C3%A9t%C3%A9'],
    ['https://магазин.рф/', 'https://xn--80aairftm.xn--p1ai/'],
    ['https://shop.test/c/SUMMER 50/50', 'https://shop.test/c/SUMMER%2050/50'],
    ['https://exa mple.test/ü', 'https://exa%20mple.test/%C3%BC'],
  ])('answers %j, signed before links were normalised, with a valid Location', (url, expected) => {
    const target = redirectTarget(url);
    expect(target).toBe(expected);
    // What the Response constructor requires of a header value.
    expect(target).toMatch(/^[\x21-\x7e]+$/);
    expect(() => new Response(null, { status: 302, headers: { location: target } })).not.toThrow();
  });
});

describe('rewriteTextLinks around brackets', () => {
  it('takes a bracketed link up to its closing bracket, spaces included', () => {
    expect(
      rewriteTextLinks('your coupon [https://shop.test/c/SUMMER 50/50] now', normaliseLinkUrl),
    ).toBe('your coupon [https://shop.test/c/SUMMER%2050/50] now');
  });
});
