// Connect Instagram and Connect Threads with JavaScript on.
import { defineDirectConnectFlow } from './connect-direct-flow';

defineDirectConnectFlow('connect Instagram and Threads (JavaScript on)');
