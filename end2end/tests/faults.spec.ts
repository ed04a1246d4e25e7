// The whole browser flow while Meta fails, with JavaScript on.
import { defineFaultsFlow } from './faults-flow';

defineFaultsFlow('Meta failing along the way (JavaScript on)');
