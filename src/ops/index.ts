export * from './scanCommits';
export * from './rebuildView';
