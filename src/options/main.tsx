/** Options page entry: API key profiles. */
import { render } from 'preact';
import browser from 'webextension-polyfill';
import type { ProfileAnswer, ProfileMessage } from '../shared/protocol/options.ts';
import { applyTheme } from '../ui/theme.ts';
import { OptionsApp } from './OptionsApp.tsx';
import '../ui/base.css';
import './options.css';

applyTheme(undefined);
const send = (message: ProfileMessage) => browser.runtime.sendMessage(message) as Promise<ProfileAnswer>;
const mount = document.getElementById('app');
if (mount) render(<OptionsApp send={send} />, mount);
