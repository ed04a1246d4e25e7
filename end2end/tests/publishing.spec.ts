// Publishing with JavaScript on.
import { definePublishingFlow } from './publishing-flow';

definePublishingFlow('publishing (JavaScript on)');
