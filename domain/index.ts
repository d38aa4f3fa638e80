/** The app's domain, one namespace per aggregate (named in the singular; the declarations in handlers/ are plural). */
export * as todoList from './todoList';
export * as tag from './tags';
