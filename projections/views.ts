/**
 * Every view's projection, fed by the events table's stream: each projection function's handler is
 * `projections/views.<view>View` (serverless.yml takes them from the app's declaration), so a new
 * view in handlers/views.ts needs no entry file. Its bundle holds the aggregates and views only.
 */
import { projections } from '../handlers/entries/projections';

export = projections.handlers;
