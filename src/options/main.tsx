/** Options page entry: API key profiles. */
import { render } from 'preact';
import browser from 'webextension-polyfill';
import type { ProfileAnswer, ProfileMessage } from '../shared/protocol/options.ts';
import { TOKEN_REQUEST_DATA } from '../shared/talk-session.ts';
import { applyTheme } from '../ui/theme.ts';
import { OptionsApp } from './OptionsApp.tsx';
import '../ui/base.css';
import './options.css';

applyTheme(undefined);
const send = (message: ProfileMessage) => browser.runtime.sendMessage(message) as Promise<ProfileAnswer>;
const mount = document.getElementById('app');
/** Firefox only (data_collection_permissions): granted already, or asked for now (inside the save click). */
type DataCollectionPermissions = { request(p: { data_collection: string[] }): Promise<boolean> };
const wantsConsent = Boolean(browser.runtime.getManifest().browser_specific_settings?.gecko);
const askConsent = (): Promise<boolean> =>
  wantsConsent ? (browser.permissions as unknown as DataCollectionPermissions).request({ data_collection: [...TOKEN_REQUEST_DATA] }) : Promise.resolve(true);
if (mount) render(<OptionsApp send={send} askConsent={askConsent} />, mount);
