// The sandbox's consent screen with JavaScript off: plain HTML forms.
import { test } from '../fixtures/server';
import { defineSandboxFlow } from './sandbox-flow';

test.use({ javaScriptEnabled: false });
defineSandboxFlow('sandbox consent (JavaScript off)');
