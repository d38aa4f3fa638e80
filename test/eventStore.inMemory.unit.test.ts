import { InMemoryEventStore } from '../src';
import { eventStoreContract } from './contract/eventStoreContract';

eventStoreContract('InMemoryEventStore', () => new InMemoryEventStore());
