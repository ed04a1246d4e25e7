// The same auth flow with JavaScript disabled: proves the server-rendered forms
// work as plain HTML (progressive enhancement), with its own server and database.
import { test } from '../fixtures/server';
import { defineAuthFlow } from './auth-flow';

test.use({ javaScriptEnabled: false });
defineAuthFlow('auth (JavaScript off)');
