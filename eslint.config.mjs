// Deliberately small: the rules here guard the production install and the module graph, not style.
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', 'data/**', 'coverage/**', 'public/**', 'tools/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 2022, sourceType: 'module' } },
    plugins: { 'import-x': importX, '@typescript-eslint': tseslint.plugin },
    settings: {
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      // `npm ci --omit=dev` installs only `dependencies`: a devDependency imported by src/ crashes
      // the production server at start-up (type-only imports are erased and allowed).
      'import-x/no-extraneous-dependencies': ['error', { devDependencies: false, optionalDependencies: false, peerDependencies: false }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'seed/**/*.ts'],
    rules: { 'import-x/no-extraneous-dependencies': ['error', { devDependencies: true }] },
  },
  {
    // Tests read HTML through test/helpers/html.ts (cheerio): a regular expression over markup
    // breaks on attribute order or whitespace and passes on a word elsewhere in the page.
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        // a tag (`<td>`, `<option value`, `<\/title>`, `<select[^>]*`, `<option\b`, `<script|`, `<svg$`), not `<` in other text such as a Message-ID
        { selector: String.raw`Literal[regex.pattern=/<(\\?\x2f)?[a-z][a-z0-9]*([\s>(\[|]|\\[sb]|$)/i]`, message: 'Read HTML with page() from test/helpers/html.ts, not a regular expression.' },
        // an attribute with its quote (`name="_csrf" value="`)
        { selector: String.raw`Literal[regex.pattern=/[a-z-]+=\\?"/]`, message: 'Read HTML attributes with page() from test/helpers/html.ts, not a regular expression.' },
        // the same built at run time (`new RegExp(\`data-campaign="${id}"\`)`)
        { selector: String.raw`NewExpression[callee.name="RegExp"] TemplateElement[value.raw=/<[a-z][a-z0-9]*[\s>]|[a-z-]+=\\?"/i]`, message: 'Read HTML with page() from test/helpers/html.ts, not a regular expression.' },
        // a page searched as a string for a tag or an attribute (`toContain('href="/admin"')`)
        { selector: String.raw`CallExpression[callee.property.name=/^(toContain|includes|indexOf)$/] > Literal[value=/<[a-z][a-z0-9]*[\s>]|\b(href|id|class|name|value|datetime|data-[a-z-]+)="/i]`, message: 'Read HTML with page() from test/helpers/html.ts, not by searching its text.' },
        { selector: String.raw`CallExpression[callee.property.name=/^(toContain|includes|indexOf)$/] > TemplateLiteral > TemplateElement[value.raw=/<[a-z][a-z0-9]*[\s>]|\b(href|id|class|name|value|datetime|data-[a-z-]+)="/i]`, message: 'Read HTML with page() from test/helpers/html.ts, not by searching its text.' },
      ],
    },
  },
);
