/** Options page entry: API key profiles. */
import { render } from 'preact';
import browser from 'webextension-polyfill';
import { applyTheme } from '../panel/theme.ts';
import type { ProfileAnswer, ProfileMessage } from '../shared/protocol.ts';
import { OptionsApp } from './OptionsApp.tsx';
import '../panel/panel.css';

applyTheme(undefined);
const send = (message: ProfileMessage) => browser.runtime.sendMessage(message) as Promise<ProfileAnswer>;
const mount = document.getElementById('app');
if (mount) render(<OptionsApp send={send} />, mount);
