/** Devtools page: only registers the panel. */
import browser from 'webextension-polyfill';

void browser.devtools.panels.create('Talk Inspector', '/icons/icon-48.png', '/src/panel/panel.html');
