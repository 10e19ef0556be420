// End-to-end suite: drives the real Forestock binary through WebKitWebDriver.
// Usage: node suite.mjs <webdriver-url> <app-binary> <data-dir> <screenshot-dir>
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Driver } from './webdriver.mjs';

import { readFile, readdir } from 'node:fs/promises';
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const [url, binary, dataDir, shots] = process.argv.slice(2);
const exportDir = process.env.FORESTOCK_EXPORT_DIR;
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

// "Plan ready" shows as soon as the plan is made, while the app still reloads its screens and
// keeps the button disabled; a click then would be ignored. Wait until it can start a run.
async function startRun(d) {
  await d.click(await d.waitFor('[data-testid="sync-run"]:not([disabled])', { timeoutMs: 120000 }));
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
  // The edit form's own button: the screen has other forms (new supplier, catalog import).
  await d.click(await d.find('form[aria-labelledby="edit-title"] button[type="submit"]'));
  await d.waitFor('.saved', { text: 'saved' });
});

test('settings: a service level and a review threshold are saved', async (d) => {
  await goTo(d, 'suppliers');
  const a = await d.waitFor('input[name="service_level_a"]');
  await d.clear(a);
  await d.type(a, '98');
  const value = await d.find('input[name="approval_value_threshold"]');
  await d.clear(value);
  await d.type(value, '4000');
  await d.click(await d.find('form[aria-labelledby="settings-title"] button[type="submit"]'));
  await d.waitFor('[data-testid="settings-saved"]', { text: 'Settings saved' });
  // FORESTOCK_EXPORT_DIR is set for the suite: exports skip the save dialog and go there.
  const folder = await d.text(await d.find('[data-testid="export-folder"]'));
  assert(folder.trim() === exportDir, `export folder shown as ${folder}, not ${exportDir}`);
  await shot(d, 'settings');
});

test('dark theme applies and is remembered as a choice', async (d) => {
  await goTo(d, 'suppliers');
  await d.click(await d.waitFor('input[name="theme"][value="dark"]'));
  const theme = await d.exec('return document.documentElement.getAttribute("data-theme")');
  assert(theme === 'dark', `data-theme is ${theme}`);
  await goTo(d, 'overview');
  await shot(d, 'overview-dark');
  await goTo(d, 'suppliers');
  await d.click(await d.waitFor('input[name="theme"][value="light"]'));
});

test('audit log shows the supplier edit and its reason', async (d) => {
  await goTo(d, 'audit');
  const row = await d.waitFor('tr[data-audit-action="supplier.update"]', { text: 'Supplier confirmed slower shipping' });
  assert((await d.text(row)).includes('supplier'), 'audit row does not name the supplier');
  const settings = await d.waitFor('tr[data-audit-action="settings.update"]');
  assert((await d.text(settings)).includes('plan_settings'), 'settings change not in the audit log');
});

test('planner grid lists every SKU x location and opens a SKU by keyboard', async (d) => {
  await goTo(d, 'planner');
  await d.waitFor('[data-testid="planner-count"]', { text: '2,400 of 2,400' });
  await d.waitFor('[role="grid"] [data-row-key]');
  await shot(d, 'planner');
  const grid = await d.find('[role="grid"]');
  await d.click(grid);
  await d.keys('\uE015', '\uE015', '\uE007'); // ArrowDown, ArrowDown, Enter
  await d.waitFor('[data-testid="sku-title"]', { timeoutMs: 30000 });
  await d.waitFor('[data-testid="sku-chart"]');
  await shot(d, 'sku-detail');
});

test('SKU detail: the chart exports as PNG and SVG', async (d) => {
  await d.click(await d.waitFor('[data-testid="export-chart-png"]'));
  const png = (await d.text(await d.waitFor('[data-testid="chart-exported"]', { text: '.png' }))).split('saved to ')[1].trim();
  assert(exportDir && png.startsWith(exportDir), `chart went to ${png}, not ${exportDir}`);
  const bytes = await readFile(png);
  assert(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'not a PNG file');
  assert(bytes.readUInt32BE(16) === 1200 && bytes.readUInt32BE(20) === 450, 'PNG is not 1200x450');
  await d.click(await d.find('[data-testid="export-chart-svg"]'));
  const svg = (await d.text(await d.waitFor('[data-testid="chart-exported"]', { text: '.svg' }))).split('saved to ')[1].trim();
  const text = await readFile(svg, 'utf8');
  assert(text.startsWith('<svg') && text.includes('units sold'), 'SVG export lacks the chart');
});

test('sync & run streams its stages and ends with a plan summary', async (d) => {
  await goTo(d, 'connect');
  await startRun(d);
  await d.waitFor('li[data-stage="sync"][data-state="skipped"]');
  await d.waitFor('li[data-stage="plan"][data-state="running"]', { timeoutMs: 60000 }).catch(() => {});
  const summary = await d.waitFor('[data-testid="run-summary"]', { text: 'Plan ready', timeoutMs: 600000 });
  assert(/to order worth/.test(await d.text(summary)), 'summary lacks the order value');
  await shot(d, 'connect-sync');
});

test('scenario: demand +20% beside the baseline, then applied', async (d) => {
  await goTo(d, 'scenarios');
  await d.type(await d.waitFor('input[name="scenario-name"]'), 'Demand +20%');
  const factor = await d.find('input[name="factor"]');
  await d.clear(factor);
  await d.type(factor, '1.2');
  await shot(d, 'scenarios');
  await d.click(await d.find('[data-testid="create-scenario"]'));
  const cmp = await d.waitFor('[data-testid="scenario-compare"]', { text: 'Baseline', timeoutMs: 120000 });
  assert((await d.text(cmp)).includes('Order value'), 'no comparison table');
  await shot(d, 'scenarios');
  await d.click(await d.find('[data-testid="apply-scenario"]'));
  await d.waitFor('[data-testid="scenario-note"]', { text: 'Applied', timeoutMs: 120000 });
});

let editedSku = '';
test('planner: edit a quantity with a reason and approve the line', async (d) => {
  await goTo(d, 'planner');
  await d.waitFor('[role="grid"] [data-row-key]');
  const only = (await d.findAll('.filters input[type="checkbox"]'))[0];
  await d.click(only);
  await d.waitFor('[data-testid="selected-line"]');
  editedSku = (await d.text(await d.find('[data-testid="selected-line"]'))).split(' · ')[0].trim();
  const suggested = Number(await d.exec('return document.querySelector(\'input[name="qty"]\').value'));
  assert(suggested > 0, `expected a line to order, suggested ${suggested}`);
  const qty = await d.find('input[name="qty"]');
  await d.clear(qty);
  await d.type(qty, String(suggested));
  await d.type(await d.find('input[name="line-reason"]'), 'Trade show next month');
  await d.click(await d.find('form[aria-label="Selected line"] button[type="submit"]'));
  await d.waitFor('form[aria-label="Selected line"] [role="status"]', { text: `quantity set to ${suggested}` });
  await d.click(await d.find('[data-testid="approve-line"]'));
  await d.waitFor('form[aria-label="Selected line"] [role="status"]', { text: 'approved' });
  await shot(d, 'planner-edit');
  await d.click(await d.find('[role="grid"] [aria-selected="true"] button.link'));
  await d.waitFor('[data-testid="sku-title"]', { text: editedSku });
  await d.waitFor('[data-testid="rationale"] li');
  await d.waitFor('[data-testid="sku-audit"]', { text: 'Trade show next month' });
  await shot(d, 'sku-detail');
});

let poQty = 0;
test('purchase orders: draft, edit a line past the thresholds, approve with a reason, export the CSV', async (d) => {
  await goTo(d, 'orders');
  await shot(d, 'purchase-orders');
  await d.click(await d.waitFor('[data-testid="draft-pos"]'));
  await d.waitFor('[data-testid="po-note"]', { text: 'Drafted' });
  // Double the drafted quantity (still whole cases above the MOQ): more than the 50% change
  // threshold, so approving now needs a reason.
  await d.click(await d.waitFor('tr[data-status="draft"] button.link'));
  await d.click(await d.waitFor(`tr[data-line="${editedSku}"] button[data-action="edit-line"]`));
  const qty = await d.waitFor('input[name="po-line-qty"]');
  const drafted = Number(await d.exec('return document.querySelector(\'input[name="po-line-qty"]\').value'));
  assert(drafted > 0, `drafted quantity ${drafted}`);
  poQty = drafted * 2;
  await d.clear(qty);
  await d.type(qty, String(poQty));
  await d.type(await d.find('input[name="po-line-reason"]'), 'Supplier pallet holds twice as many');
  await d.click(await d.find('form.line-edit button[type="submit"]'));
  await d.waitFor('[data-testid="po-note"]', { text: `set to ${poQty.toLocaleString('en-US')}` });
  await d.click(await d.waitFor('tr[data-status="draft"] button[data-action="approve"]'));
  await d.waitFor('[data-testid="po-thresholds"]', { text: 'limit 50%' });
  await shot(d, 'purchase-orders-edit');
  await d.type(await d.waitFor('input[name="approve-reason"]'), 'Pallet price agreed');
  await d.click(await d.find('form[aria-label^="Approve"] button[type="submit"]'));
  await d.waitFor('[data-testid="po-note"]', { text: 'approved' });
  await d.click(await d.waitFor('tr[data-status="approved"] button[data-action="export"]'));
  const note = await d.text(await d.waitFor('[data-testid="po-note"]', { text: 'exported to' }));
  await shot(d, 'purchase-orders');
  const path = note.split('exported to ')[1].trim();
  assert(exportDir && path.startsWith(exportDir), `export went to ${path}, not ${exportDir}`);
  const csv = await readFile(path, 'utf8');
  const [header, ...lines] = csv.trim().split(/\r?\n/);
  assert(/sku/i.test(header), `CSV header lacks sku: ${header}`);
  assert(lines.length >= 1, 'CSV has no lines');
  assert(csv.includes(editedSku), `CSV does not contain the approved SKU ${editedSku}`);
  const line = lines.find((l) => l.includes(editedSku)) ?? '';
  assert(line.split(',').includes(String(poQty)), `CSV line lacks the edited quantity ${poQty}: ${line}`);
  assert((await readdir(exportDir)).some((f) => f.endsWith('.csv')), 'no CSV in the export folder');
});

test('audit log shows the quantity edit with its reason', async (d) => {
  await goTo(d, 'audit');
  await d.waitFor('tr[data-audit-action="plan.override"]', { text: 'Trade show next month' });
  await d.waitFor('tr[data-audit-action="po.line_edit"]', { text: 'Supplier pallet holds twice as many' });
  await d.waitFor('tr[data-audit-action="po.status"]', { text: 'Pallet price agreed' });
  await shot(d, 'audit-log');
});

test('audit log exports to CSV with the edits and their reasons', async (d) => {
  await goTo(d, 'audit');
  await d.click(await d.waitFor('[data-testid="export-audit"]'));
  const note = await d.text(await d.waitFor('[data-testid="audit-exported"]', { text: 'exported to' }));
  const path = note.split('exported to ')[1].trim();
  assert(exportDir && path.startsWith(exportDir), `audit export went to ${path}, not ${exportDir}`);
  const csv = await readFile(path, 'utf8');
  const [header, ...rows] = csv.split('\r\n').filter((l) => l.length > 0);
  assert(header === 'id,at,actor,action,entity,entity_id,before,after,reason', `audit CSV header: ${header}`);
  const n = Number(note.split(' ')[0].replace(/,/g, ''));
  assert(n >= 3, `expected several entries, got "${note}"`);
  for (const want of ['Trade show next month', 'Supplier confirmed slower shipping', 'settings.update', 'po.export', 'po.line_edit']) {
    assert(csv.includes(want), `audit CSV lacks ${want}`);
  }
  assert(rows.length >= n, `CSV has ${rows.length} rows for ${n} entries`);
});

test('import: a small history CSV through the Import screen, then undo it', async (d) => {
  const file = join(dataDir, 'e2e-sales.csv');
  await writeFile(file, 'sku,location,date,units\nE2E-IMPORT-1,E2E-SHOP,2024-03-01,4\nE2E-IMPORT-1,E2E-SHOP,2024-03-02,6\n');
  await goTo(d, 'import');
  await d.type(await d.waitFor('input[name="import-path"]'), file);
  await d.click(await d.find('[data-testid="import-preview"]'));
  await d.waitFor('[data-testid="import-rows"]', { text: '2024-03-02' });
  // New SKU and location: the planner chooses to create them before the import is offered.
  await d.click(await d.waitFor('[data-testid="unknown-create"]'));
  await d.waitFor('[data-testid="import-run"]');
  await shot(d, 'import-preview');
  await d.click(await d.find('[data-testid="import-run"]'));
  const note = await d.text(await d.waitFor('[data-testid="import-note"]', { text: 'Imported e2e-sales.csv' }));
  assert(/2 rows stored/.test(note), `import note: ${note}`);
  const batch = note.match(/batch (\d+)/)?.[1];
  assert(batch, `no batch in "${note}"`);
  await d.click(await d.waitFor(`button[data-undo-batch="${batch}"]`));
  await d.waitFor('[data-testid="import-note"]', { text: `batch ${batch} (e2e-sales.csv) undone` });
  const left = await d.findAll(`button[data-undo-batch="${batch}"]`);
  assert(left.length === 0, 'the undone batch is still listed');
});

test('overview after the run', async (d) => {
  await goTo(d, 'overview');
  await d.waitFor('[data-testid="merchant-name"]');
  await shot(d, 'overview');
});

// ---- connect to the loopback simulator and sync from it (after the demo-merchant flows, so
// the synced store's SKUs do not change what the tests above count) ----

const cli = process.env.FORESTOCK_CLI;
let sim = null; // { proc, endpoints }

/** Start `forestock sim` on a small demo merchant; resolves to its endpoints (URL + demo credentials). */
async function startSim() {
  assert(cli, 'FORESTOCK_CLI is not set (tests/e2e/run.sh sets it)');
  const db = join(dataDir, 'sim-merchant.db');
  execFileSync(cli, ['demo', '--db', db, '--skus', '20', '--days', '120', '--format', 'json'], { stdio: 'ignore' });
  const proc = spawn(cli, ['sim', '--db', db, '--platform', 'shopify', '--format', 'json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout });
    const timer = setTimeout(() => reject(new Error('simulator printed no endpoints within 30 s')), 30000);
    lines.once('line', (l) => { clearTimeout(timer); resolve(l); });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`simulator exited with ${code}`)); });
  });
  sim = { proc, endpoints: JSON.parse(first) };
  return sim.endpoints;
}

/** Stop the simulator (Ctrl-C, as a person would) and wait until it has exited. */
async function stopSim() {
  if (!sim || sim.proc.exitCode !== null || sim.proc.signalCode !== null) return;
  const exited = new Promise((resolve) => sim.proc.once('exit', resolve));
  sim.proc.kill('SIGINT');
  const timer = setTimeout(() => sim.proc.kill('SIGKILL'), 10000);
  await exited;
  clearTimeout(timer);
}

test('connect: a Shopify store (the simulator) through the form', async (d) => {
  const { shopify } = await startSim();
  assert(shopify?.url && shopify?.token, `simulator endpoints lack Shopify: ${JSON.stringify(sim.endpoints)}`);
  await goTo(d, 'connect');
  await d.waitFor('[data-testid="connect-form"]');
  await d.click(await d.find('input[name="platform"][value="shopify"]'));
  await d.type(await d.find('input[name="store_name"]'), 'Simulated Shopify');
  await d.type(await d.find('input[name="url"]'), shopify.url);
  await d.type(await d.find('input[name="token"]'), shopify.token);
  await d.click(await d.find('[data-testid="connect-submit"]'));
  await d.waitFor('tr[data-store="shopify"]', { text: 'Simulated Shopify', timeoutMs: 60000 });
  const secret = await d.exec('return document.querySelector(\'input[name="token"]\')?.value ?? ""');
  assert(secret === '', 'the token is still in the form after connecting');
  await d.click(await d.find('tr[data-store="shopify"] [data-testid="test-store"]'));
  await d.waitFor('[data-testid="store-status"]', { text: 'Connection works', timeoutMs: 60000 });
  await shot(d, 'connect');
});

test('sync & run: syncs the connected store with progress, then plans', async (d) => {
  await goTo(d, 'connect');
  await startRun(d);
  await d.waitFor('li[data-stage="sync"][data-state="running"]', { timeoutMs: 30000 }).catch(() => {});
  await d.waitFor('li[data-stage="sync"][data-state="done"]', { timeoutMs: 600000 });
  const events = Number(await d.exec('return document.querySelector(\'li[data-stage="sync"]\').dataset.progressEvents'));
  assert(events > 0, 'no sync progress event reached the UI');
  const counts = await d.text(await d.waitFor('[data-testid="sync-counts"]'));
  assert(/Simulated Shopify:\s*20 SKUs, 3 locations/.test(counts), `unexpected sync counts: ${counts}`);
  assert(/[1-9][\d,]* orders synced/.test(counts), `no orders synced: ${counts}`);
  await d.waitFor('[data-testid="run-summary"]', { text: 'Plan ready', timeoutMs: 600000 });
  await shot(d, 'connect-sync-store');
});

test('sync & run offline: says the store was not synced and plans on the last synced data', async (d) => {
  await stopSim();
  await goTo(d, 'connect');
  await startRun(d);
  // Connection refused is retried with backoff (8 attempts, about 30 s) before it is reported.
  const counts = await d.waitFor('[data-testid="sync-counts"]', { text: 'not synced', timeoutMs: 180000 });
  assert(/Simulated Shopify/.test(await d.text(counts)), 'the offline store is not named');
  await d.waitFor('[data-testid="run-summary"]', { text: 'Plan ready', timeoutMs: 600000 });
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
  await stopSim().catch((e) => console.error(`stopping the simulator: ${e.message}`));
  await d.quit().catch((e) => console.error(`quit: ${e.message}`));
}
console.log(`${tests.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
