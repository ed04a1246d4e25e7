// Connecting Meta with JavaScript off: every step is a plain form or link.
import { test } from '../fixtures/server';
import { defineConnectFlow } from './connect-flow';

test.use({ javaScriptEnabled: false });
defineConnectFlow('connect Meta (JavaScript off)');
