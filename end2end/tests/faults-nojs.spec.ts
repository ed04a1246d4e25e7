// The whole browser flow while Meta fails, with JavaScript off: every step a plain form.
import { test } from '../fixtures/server';
import { defineFaultsFlow } from './faults-flow';

test.use({ javaScriptEnabled: false });
defineFaultsFlow('Meta failing along the way (JavaScript off)');
