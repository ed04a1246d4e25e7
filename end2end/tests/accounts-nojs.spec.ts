// The accounts list with JavaScript off: the filters are a GET form, the headers links.
import { test } from '../fixtures/server';
import { defineAccountsFlow } from './accounts-flow';

test.use({ javaScriptEnabled: false });
defineAccountsFlow('accounts list (JavaScript off)');
