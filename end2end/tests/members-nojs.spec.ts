// The same members flow with JavaScript disabled: plain HTML forms all the way.
import { test } from '../fixtures/server';
import { defineMembersFlow } from './members-flow';

test.use({ javaScriptEnabled: false });
defineMembersFlow('members (JavaScript off)');
