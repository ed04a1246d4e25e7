// Connecting Meta with JavaScript on.
import { defineConnectFlow } from './connect-flow';

defineConnectFlow('connect Meta (JavaScript on)');
