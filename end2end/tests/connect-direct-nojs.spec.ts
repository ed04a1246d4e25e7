// Connect Instagram and Connect Threads with JavaScript off: every step is a plain form or link.
import { test } from '../fixtures/server';
import { defineDirectConnectFlow } from './connect-direct-flow';

test.use({ javaScriptEnabled: false });
defineDirectConnectFlow('connect Instagram and Threads (JavaScript off)');
