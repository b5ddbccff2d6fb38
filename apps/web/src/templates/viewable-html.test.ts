import { describe, expect, it } from 'vitest';
import { viewableHtml } from './viewable-html';

describe('viewableHtml', () => {
  it('drops the open pixel and keeps the other images and the links', () => {
    const html =
      '<p><img src="https://cdn.acme.test/logo.png" alt="Acme"></p>' +
      '<p><a href="https://relance.test/t/c/abc.def">Shop</a></p>' +
      '<img src="https://relance.test/t/o/eyJtIjoibTEifQ.sig" width="1" height="1" alt="" ' +
      'style="display:block;width:1px;height:1px;border:0;margin:0;padding:0" />';
    expect(viewableHtml(html)).toBe(
      '<p><img src="https://cdn.acme.test/logo.png" alt="Acme"></p>' +
        '<p><a href="https://relance.test/t/c/abc.def">Shop</a></p>',
    );
  });
});
