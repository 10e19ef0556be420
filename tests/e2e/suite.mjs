// End-to-end suite: drives the real Forestock binary through WebKitWebDriver.
// Usage: node suite.mjs <webdriver-url> <app-binary> <data-dir> <screenshot-dir>
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Driver } from './webdriver.mjs';

const [url, binary, dataDir, shots] = process.argv.slice(2);
if (!url || !binary || !dataDir || !shots) {
  console.error('usage: node suite.mjs <webdriver-url> <app-binary> <data-dir> <screenshot-dir>');
  process.exit(2);
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

async function shot(d, name) {
  await mkdir(shots, { recursive: true });
  await writeFile(join(shots, `${name}.png`), await d.screenshot());
}

async function goTo(d, screen) {
  await d.click(await d.find(`nav button[data-screen="${screen}"]`));
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

// ---- the tests, in order: they share one app session (first run creates the demo merchant) ----

test('first run opens on the demo merchant with its name and SKU count', async (d) => {
  const name = await d.text(await d.waitFor('[data-testid="merchant-name"]', { timeoutMs: 120000 }));
  assert(name.trim().length > 0, 'merchant name is empty');
  const skus = await d.text(await d.find('[data-testid="sku-count"]'));
  assert(/^800 SKUs$/.test(skus.trim()), `expected "800 SKUs", got "${skus}"`);
  await shot(d, 'overview');
});

test('suppliers: edit a lead time with a reason', async (d) => {
  await goTo(d, 'suppliers');
  await d.waitFor('tr[data-supplier]');
  await shot(d, 'suppliers');
  const edit = (await d.findAll('tr[data-supplier] button'))[0];
  await d.click(edit);
  const lead = await d.waitFor('input[name="lead_time"]');
  await d.clear(lead);
  await d.type(lead, '30');
  await d.type(await d.find('input[name="reason"]'), 'Supplier confirmed slower shipping');
  await d.click(await d.find('form button[type="submit"]'));
  await d.waitFor('.saved', { text: 'saved' });
});

test('audit log shows the supplier edit and its reason', async (d) => {
  await goTo(d, 'audit');
  const row = await d.waitFor('tr[data-audit-action="supplier.update"]', { text: 'Supplier confirmed slower shipping' });
  assert((await d.text(row)).includes('supplier'), 'audit row does not name the supplier');
  await shot(d, 'audit-log');
});

const only = process.env.E2E_ONLY;
const d = new Driver(url);
let failed = 0;
try {
  await d.waitReady();
  await d.start(binary, ['--db', join(dataDir, 'merchant.db')]);
  for (const t of tests) {
    if (only && !t.name.includes(only)) continue;
    const t0 = Date.now();
    try {
      await t.fn(d);
      console.log(`ok   ${t.name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${t.name}: ${e.message}`);
      await shot(d, `failure-${tests.indexOf(t)}`).catch(() => {});
    }
  }
} finally {
  await d.quit().catch((e) => console.error(`quit: ${e.message}`));
}
console.log(`${tests.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
