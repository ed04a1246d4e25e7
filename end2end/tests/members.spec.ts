// Workspaces, roles and members in a normal (JavaScript-enabled) browser, on its own server.
import { defineMembersFlow } from './members-flow';

defineMembersFlow('members');
