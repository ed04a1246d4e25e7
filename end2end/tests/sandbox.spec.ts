// The sandbox's consent screen with JavaScript on, on its own server.
import { defineSandboxFlow } from './sandbox-flow';

defineSandboxFlow('sandbox consent');
