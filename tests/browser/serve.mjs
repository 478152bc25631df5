// serve.mjs - the search page in headless Chromium (playwright-core):
// type a query, see the marked words, open a passage, page on, corpus
// markup stays text, the layout fits a phone; screenshots are kept.
//
//   node serve.mjs URL OUTDIR     (exit 0: all passed)
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, outdir] = process.argv.slice(2);
let passed = 0, failed = 0;
function check(name, cond, detail) {
  if (cond) { passed++; console.log(`ok   ${name}`); }
  else { failed++; console.log(`FAIL ${name}${detail ? `\n     ${detail}` : ''}`); }
}

const profile = mkdtempSync(join(tmpdir(), 'cs-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1200, height: 800 },
});
try {
  const page = context.pages()[0] || await context.newPage();
  const dialogs = [], problems = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  page.on('pageerror', (e) => problems.push(String(e)));
  // every console error counts but the bad query's answer, which is asked for
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 400/.test(m.text())) problems.push(m.text());
  });
  // generous: CI shares two cores with other test programs and fuzzers
  page.setDefaultTimeout(30000);

  await page.goto(url);
  await page.mouse.click(5, 300);
  check('a click elsewhere leaves the box', await page.evaluate(() => document.activeElement.id !== 'q'));
  await page.keyboard.press('/');
  check('/ focuses the search box', await page.evaluate(() => document.activeElement.id === 'q'));

  // search with the keyboard; the query's words are marked
  await page.keyboard.type('consensus report');
  await page.keyboard.press('Enter');
  await page.locator('#results li').first().waitFor();
  const marks = await page.locator('#results li:first-child mark').allTextContents();
  check('the first hit marks the query words',
        marks.length >= 2 && marks.every((m) => /^(consensus|report)/i.test(m)), JSON.stringify(marks));
  const cite = await page.locator('#results li:first-child .citation').textContent();
  check('the hit shows a citation path:line:col', /^[^:]+\.txt:\d+:\d+$/.test(cite), cite);
  check('the address holds the query', new URL(page.url()).searchParams.get('q') === 'consensus report');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  await page.locator('#results li:first-child .copy').click();
  // the write is asynchronous: give it time before reading the clipboard
  await page.waitForFunction(async (c) => (await navigator.clipboard.readText()) === c, cite,
                             { timeout: 10000 }).catch(() => {});
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  check('Copy puts the citation on the clipboard', copied === cite, copied);

  // open the passage in context
  await page.locator('#results li:first-child .snippet').click();
  await page.locator('#passage .context.focus').waitFor();
  const focusMarks = await page.locator('#passage .context.focus mark').count();
  check('the passage opens with its words marked', focusMarks >= 2, `${focusMarks} marks`);
  const contexts = await page.locator('#passage .context').count();
  check('the passage comes with its neighbours', contexts > 1, `${contexts} passages`);
  const title = await page.locator('#passage-title').textContent();
  check('the panel names the file', title.includes(cite.split(':')[0]), title);
  await page.screenshot({ path: join(outdir, 'serve.png') });  // docs/serve.png
  await page.keyboard.press('Escape');
  check('Esc closes the passage', await page.locator('#passage').isHidden());

  // page on
  await page.fill('#q', 'cyber');
  await page.press('#q', 'Enter');
  // the status of the last query also said 1–10: wait for this query's own
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'cyber' &&
                             document.querySelector('#status').textContent.includes('1–10'));
  const first = await page.locator('#results .citation').allTextContents();
  await page.click('#next');
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('11–20'));
  const second = await page.locator('#results .citation').allTextContents();
  check('Next shows results 11-20', (await page.locator('#results').getAttribute('start')) === '11');
  check('page 2 differs from page 1', second.length === 10 && second.join() !== first.join());
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('1–10'));
  check('Back returns to page 1', (await page.locator('#results .citation').allTextContents()).join() === first.join());

  // a bad query: the message with a caret
  await page.fill('#q', 'cyber AND (norms');
  await page.press('#q', 'Enter');
  await page.locator('#error').waitFor();
  check('a bad query shows a caret', (await page.locator('#error').textContent()).includes('^'));

  // corpus markup is text, never HTML
  await page.fill('#q', 'xssfired');
  await page.press('#q', 'Enter');
  await page.locator('#results li').first().waitFor();
  const text = (await page.locator('#results').textContent());
  check('<script> in a corpus file shows as text', text.includes('<script>window.xssFired = 1</script>'), text.slice(0, 200));
  check('the corpus markup made no elements', await page.locator('#results script, #results img').count() === 0);
  await page.locator('#results li:first-child .snippet').click();
  await page.locator('#passage .context.focus').waitFor();
  check('nor in the passage view', await page.locator('#passage script, #passage img').count() === 0);
  check('no corpus script ran', await page.evaluate(() => window.xssFired === undefined) && dialogs.length === 0,
        JSON.stringify(dialogs));
  await page.keyboard.press('Escape');

  // a phone: nothing wider than the screen
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${url}?q=${encodeURIComponent('consensus report')}`);
  await page.locator('#results li').first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('readable on a phone: no sideways scrolling', overflow <= 0, `${overflow}px too wide`);
  await page.screenshot({ path: join(outdir, 'serve-phone.png') });
  check('the pager is hidden when one page holds all', await page.locator('#pager').isHidden());
  check('no script errors or CSP violations', problems.length === 0, problems.join(' | '));
} catch (e) {
  check('the browser test ran to the end', false, String(e));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
