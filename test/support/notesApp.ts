/** The small "notes" app the kit's declaration tests build, with what each test declares (no todo import). */
import { defineApp, type AppDefinition } from '../../src';

type Parts = Pick<AppDefinition, 'aggregates'> & Partial<Pick<AppDefinition, 'commands' | 'queries' | 'views'>>;

export const notesApp = ({ aggregates, commands = {}, queries = {}, views = [] }: Parts) =>
  defineApp({
    service: 'notes',
    title: 'Notes',
    version: '1',
    description: 'Notes',
    aggregates,
    commands,
    queries,
    views,
  });
