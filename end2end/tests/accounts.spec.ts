// The accounts list with JavaScript on.
import { defineAccountsFlow } from './accounts-flow';

defineAccountsFlow('accounts list (JavaScript on)');
