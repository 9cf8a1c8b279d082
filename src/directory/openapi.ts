/** OpenAPI 3.1 description of API v1 (being written). */
export const openApiDocument = { openapi: '3.1.0', info: { title: 'Central Authorities Directory API', version: '1.0.0' }, paths: {} };
