/** A tab that was open before the extension was installed: the panel still reports it (injection on demand). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTANCES } from '../../simulator/fixtures.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { type ChromiumSession, launchChromium, openPanel, panelText, waitForPanelText } from '../../tools/chromium.ts';

let sim: Simulator;
let chromium: ChromiumSession;

beforeAll(async () => {
  sim = await startSimulator();
  chromium = await launchChromium({ extension: 'later' });
});

afterAll(async () => {
  await chromium?.close();
  await sim?.close();
});

describe('tab opened before the extension was installed', () => {
  it('is inspected once the extension arrives, and says earlier calls were missed', async () => {
    const page = await chromium.browser.newPage();
    await page.goto(`${sim.origin}/pages/token.html`, { waitUntil: 'load' });
    // Nothing of ours ran in this page yet.
    expect(await page.evaluate(() => Object.getOwnPropertyDescriptor(window, 'ap3c')?.get)).toBeUndefined();

    await chromium.installExtension();
    await chromium.worker();
    const { panel } = await openPanel(page, chromium.extensionId);
    await waitForPanelText(panel, 'status-snippet', 'Found');
    await waitForPanelText(panel, 'status-script', 'Loaded');
    await waitForPanelText(panel, 'timeline', 'attached after the page had started');
    expect(await panelText(panel, 'widget-present')).toBe('Yes');
    // init ran before the recorder existed: the panel must not pretend it saw it.
    expect(await panelText(panel, 'status-init')).toBe('Not called');

    // After a reload everything is recorded from the start.
    await page.reload({ waitUntil: 'load' });
    await waitForPanelText(panel, 'status-init', 'Called once');
    expect(await panelText(panel, 'capture-key')).toBe(INSTANCES.testautomation.captureKey);
    await page.close();
  });

  it('after the extension is reloaded, an open tab is inspected again (the orphaned relay is replaced)', async () => {
    const page = await chromium.browser.newPage();
    await page.goto(`${sim.origin}/pages/standard.html`, { waitUntil: 'load' });
    const first = await openPanel(page, chromium.extensionId);
    await waitForPanelText(first.panel, 'status-init', 'Called once');
    await first.devtools.close();
    // Reload = uninstall and install the same unpacked build (same id).
    await chromium.browser.uninstallExtension(chromium.extensionId);
    await chromium.installExtension();
    await chromium.worker();
    const { panel } = await openPanel(page, chromium.extensionId);
    // The old recorder's accessor is still on window.ap3c: the new one reads around it, never calls it.
    await waitForPanelText(panel, 'status-snippet', /Found|Present/);
    await waitForPanelText(panel, 'timeline', 'attached after the page had started');
    await page.close();
  });
});
