// First-run setup, sign-in and sign-out in a normal (JavaScript-enabled) browser,
// against this file's own fresh server and database.
import { defineAuthFlow } from './auth-flow';

defineAuthFlow('auth');
