// Disconnecting and reconnecting with JavaScript on.
import { defineConnectionsFlow } from './connections-flow';

defineConnectionsFlow('disconnect and reconnect (JavaScript on)');
