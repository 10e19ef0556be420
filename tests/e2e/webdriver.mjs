// A dependency-free W3C WebDriver client for WebKitWebDriver (Node 20 `fetch`).
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class Driver {
  constructor(base) {
    this.base = base;
    this.session = null;
  }

  async request(method, path, body) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) {
      const v = json.value ?? {};
      throw new Error(`${method} ${path}: ${v.error ?? res.status}: ${v.message ?? ''}`);
    }
    return json.value;
  }

  async waitReady(timeoutMs = 20000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      try {
        const s = await this.request('GET', '/status');
        if (s.ready !== false) return;
      } catch {
        /* not up yet */
      }
      if (Date.now() > end) throw new Error(`WebDriver at ${this.base} did not become ready`);
      await sleep(200);
    }
  }

  async start(binary, args) {
    const caps = {
      capabilities: {
        alwaysMatch: { 'webkitgtk:browserOptions': { binary, args } },
      },
    };
    const v = await this.request('POST', '/session', caps);
    this.session = v.sessionId;
  }

  s(path) {
    return `/session/${this.session}${path}`;
  }

  async quit() {
    if (!this.session) return;
    try {
      await this.request('DELETE', this.s(''));
    } finally {
      this.session = null;
    }
  }

  async find(css) {
    const v = await this.request('POST', this.s('/element'), { using: 'css selector', value: css });
    return v[ELEMENT];
  }

  async findAll(css) {
    const v = await this.request('POST', this.s('/elements'), { using: 'css selector', value: css });
    return v.map((e) => e[ELEMENT]);
  }

  /** Wait until `css` matches an element (and `text`, if given, is contained in its text). */
  async waitFor(css, { text, timeoutMs = 30000 } = {}) {
    const end = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      try {
        const id = await this.find(css);
        if (text === undefined) return id;
        last = await this.text(id);
        if (last.includes(text)) return id;
      } catch {
        /* not there yet */
      }
      if (Date.now() > end) {
        throw new Error(`timed out waiting for ${css}${text ? ` containing "${text}" (last: "${last}")` : ''}`);
      }
      await sleep(150);
    }
  }

  /** Wait until `css` matches no element (a list re-rendered after an action). */
  async waitGone(css, { timeoutMs = 15000 } = {}) {
    const end = Date.now() + timeoutMs;
    while ((await this.findAll(css)).length > 0) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${css} to go`);
      await sleep(150);
    }
  }

  async text(id) {
    return this.request('GET', this.s(`/element/${id}/text`));
  }

  async click(id) {
    await this.request('POST', this.s(`/element/${id}/click`), {});
  }

  async clear(id) {
    await this.request('POST', this.s(`/element/${id}/clear`), {});
  }

  async type(id, text) {
    await this.request('POST', this.s(`/element/${id}/value`), { text });
  }

  /** Press keys on whatever has focus (W3C actions), e.g. keys('\uE015', '\uE007'). */
  async keys(...values) {
    const actions = values.flatMap((value) => [
      { type: 'keyDown', value },
      { type: 'keyUp', value },
    ]);
    await this.request('POST', this.s('/actions'), { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.request('DELETE', this.s('/actions'));
  }

  async exec(script, args = []) {
    return this.request('POST', this.s('/execute/sync'), { script, args });
  }

  async execAsync(script, args = []) {
    return this.request('POST', this.s('/execute/async'), { script, args });
  }

  /** Let the page paint what the last commands changed (two animation frames, then a beat). */
  async settle() {
    await this.execAsync('const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));');
    await sleep(250);
  }

  async screenshot() {
    await this.settle();
    return Buffer.from(await this.request('GET', this.s('/screenshot')), 'base64');
  }
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
