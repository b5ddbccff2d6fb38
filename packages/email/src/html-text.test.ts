import { describe, expect, it } from 'vitest';
import { compileTemplate } from './compile-template';
import { htmlToText } from './html-text';
import { marketingTemplate } from './test-fixtures';

describe('htmlToText', () => {
  it.each([
    ['display:none', '<div style="display:none;max-height:0">Hidden preheader</div><p>Hello</p>'],
    ['display: none', '<p>Hello<span style="color:red; display: none">coupon hint</span></p>'],
    ['the hidden attribute', '<p hidden>Hidden preheader</p><p>Hello</p>'],
  ])('drops elements hidden with %s', (_label, html) => {
    expect(htmlToText(html)).toBe('Hello');
  });

  it('writes a data table row by row with its cells apart', () => {
    const html =
      '<table><tr><th>Item</th><th>Price</th></tr><tr><td>Shoes</td><td>€50</td></tr><tr><td>Hat</td><td>€20</td></tr></table>';
    expect(htmlToText(html).split('\n')).toEqual(['Item    Price', 'Shoes   €50', 'Hat     €20']);
  });

  it('writes a layout table as the blocks it holds', () => {
    const html =
      '<table><tr><td><p>Left column</p></td><td><div>Right column</div></td></tr></table>';
    expect(htmlToText(html)).toBe('Left column\n\nRight column');
  });

  it('shows an image by its alt text, and a linked image as that text and its link', () => {
    expect(htmlToText('<p><img src="https://cdn.test/logo.png" alt="Acme"></p>')).toBe('Acme');
    expect(
      htmlToText(
        '<a href="https://shop.test/sale"><img src="https://cdn.test/b.png" alt="Summer sale: 50% off"></a>',
      ),
    ).toBe('Summer sale: 50% off [https://shop.test/sale]');
    expect(htmlToText('<p>Hi<img src="https://cdn.test/spacer.gif" alt=""></p>')).toBe('Hi');
  });
});

describe('the text part of an MJML email', () => {
  it('starts with the content, not the preview, and keeps tables and linked images readable', async () => {
    const source = `<mjml>
  <mj-head><mj-preview>Our big summer sale starts now</mj-preview></mj-head>
  <mj-body><mj-section><mj-column>
    <mj-text>Hello {{ contact.first_name }}</mj-text>
    <mj-table><tr><th>Item</th><th>Price</th></tr><tr><td>Shoes</td><td>€50</td></tr></mj-table>
    <mj-image src="https://cdn.test/banner.png" alt="Summer sale: 50% off" href="https://shop.test/sale" />
  </mj-column></mj-section></mj-body>
</mjml>`;
    const compiled = await compileTemplate(marketingTemplate({ body: { kind: 'mjml', source } }));
    const { text } = await compiled.render({ contact: { first_name: 'Ana' }, workspace: {} });
    expect(text).toBe(
      'Hello Ana\n\nItem    Price\nShoes   €50\n\nSummer sale: 50% off [https://shop.test/sale]\n',
    );
  });
});
