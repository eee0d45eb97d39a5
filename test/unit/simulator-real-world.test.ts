/** The simulator's real-world pages (issue 13): each is served with the shape it stands for. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTANCES, PAGES } from '../../simulator/fixtures.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim?.close();
});

const get = async (path: string) => {
  const res = await fetch(`${sim.origin}${path}`);
  return { status: res.status, csp: res.headers.get('content-security-policy'), type: res.headers.get('content-type'), text: await res.text() };
};

describe('real-world pages', () => {
  it('there is one per pattern of the issue, each with the capture key', () => {
    const names = PAGES.filter((p) => p.name.startsWith('rw-')).map((p) => p.name);
    expect(names.length).toBeGreaterThanOrEqual(15);
    for (const name of names) expect(name).toMatch(/^rw-[a-z-]+$/);
  });

  it('each has its own shape', async () => {
    const page = (name: string) => get(`/pages/${name}.html`);
    const next = await page('rw-nextjs-csp');
    expect(next.csp).toContain("script-src 'self' 'unsafe-inline'");
    expect(next.text).toContain('data-nscript');
    expect(next.text).toContain('ap3c.cmd.push(function(){ap3c.init(');
    expect((await page('rw-gtm-csp-connect')).text).toMatch(/<meta http-equiv="Content-Security-Policy" content="connect-src 'self'">[\s\S]*gtm\.load/);
    const spa = await page('rw-spa-reinject');
    expect(spa.text).toContain('const ap3c = (window.ap3c = window.ap3c || {})');
    expect(spa.text).toContain('window.ap3c = undefined;');
    expect((await page('rw-gtm-queued')).text).toContain('/blocked/app.js');
    expect((await page('rw-queued-data')).text).toMatch(/ap3c\.cmd\.push\(\['init', /);
    expect((await page('rw-consent-late')).text).toContain('/core/v4/appcues.js');
    expect((await page('rw-wordpress-onload')).text).toMatch(/window\.onload = function \(\) \{[\s\S]*ap3c\.track\(\{ v: 0, theme/);
    const sample = await page('rw-help-sample');
    expect(sample.text).toContain('https://cdn31.ink/app.js');
    expect(sample.text).toContain("'{{<reponse_token>}}'");
    expect(sample.text).toContain("email: 'user@emaildomain.com', name: 'John Apple'");
    expect((await page('rw-helmet-remount')).text).toContain('data-react-helmet');
    expect((await page('rw-theme-plugin')).text.match(/ap3c\.cmd\.push\(function\(\)/g)).toHaveLength(2);
    expect((await page('rw-magento')).text).toMatch(/<script type="text\/javascript" src="\/app\.js"><\/script>[\s\S]*ap3c\.initMagento\(/);
    expect((await page('rw-woocommerce')).text).toMatch(/var ap3Options = \{"tracking_key":"[^"]+","capture_api_url":/);
    expect((await page('rw-webview')).text).toContain('ap3c.enableTalk = false;');
    expect((await page('rw-staging')).text).toMatch(/http:\/\/static\.ap3stg\.com:\d+\/capture\/master\/capture\.js/);
    for (const p of PAGES.filter((x) => x.name.startsWith('rw-'))) expect((await get(p.path)).text, p.name).toContain(INSTANCES.testautomation.captureKey);
  });

  it('serves the scripts they load: staging capture.js, the connectors, the consent template’s wrong script', async () => {
    const staging = await get('/capture/master/capture.js');
    expect(staging.status).toBe(200);
    expect(staging.text).toContain('ap3-talk-widget-ui');
    expect((await get('/app-woocommerce.js')).text).toContain('initWooCommerce');
    expect((await get('/static/frontend/Ortto/ortto-magento.js')).text).toContain('initMagento');
    const appcues = await get('/core/v4/appcues.js');
    expect(appcues.status).toBe(200);
    expect(appcues.text).not.toContain('ap3c');
  });
});
