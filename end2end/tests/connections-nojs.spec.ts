// Disconnecting and reconnecting with JavaScript off: the confirmation is a plain page.
import { test } from '../fixtures/server';
import { defineConnectionsFlow } from './connections-flow';

test.use({ javaScriptEnabled: false });
defineConnectionsFlow('disconnect and reconnect (JavaScript off)');
