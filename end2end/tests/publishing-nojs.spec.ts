// Publishing with JavaScript off: the checkboxes (`accounts[]`) and the kept draft work as a
// plain form.
import { test } from '../fixtures/server';
import { definePublishingFlow } from './publishing-flow';

test.use({ javaScriptEnabled: false });
definePublishingFlow('publishing (JavaScript off)');
