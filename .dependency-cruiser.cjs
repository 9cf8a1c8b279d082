/** The module graph ARCHITECTURE.md describes, checked by `npx depcruise src` (run by `npm test`). */
const COMPONENTS = '(accounts|audit|console|depositary|directory|editing|exchange|reminders|seeding)';
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'No cycles between modules.', from: {}, to: { circular: true } },
    {
      name: 'shared-imports-no-component',
      severity: 'error',
      comment: 'shared/ is the vocabulary every component uses; it depends on none of them.',
      from: { path: '^src/shared/' },
      to: { path: `^src/${COMPONENTS}/` },
    },
    {
      name: 'component-through-service',
      severity: 'error',
      comment: "A component reaches another only through its service (or its plain types, schemas and policies), never its repository, nor its models outside a repository.",
      from: { path: `^src/${COMPONENTS}/`, pathNot: '\\.repository\\.ts$' },
      to: { path: `^src/${COMPONENTS}/[^/]*\\.(models?|repository)\\.ts$`, pathNot: '^src/$1/' },
    },
    {
      name: 'repository-writes-own-collections',
      severity: 'error',
      comment: "A repository holds its own component's reads and writes: it uses no other component's repository, and of other components' models only the directory's (States, authorities, the catalogue and resources, which editing, the console and the seed write).",
      from: { path: `^src/${COMPONENTS}/[^/]*\\.repository\\.ts$` },
      to: { path: `^src/${COMPONENTS}/[^/]*\\.(models?|repository)\\.ts$`, pathNot: ['^src/$1/', '^src/directory/directory\\.models\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
