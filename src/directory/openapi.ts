import { z } from 'zod';
import { revisionJson } from '../editing/editing.json';
import { accessBody, authorityBody, ifMatchHeader, optionalSectionBody, revisionListQuery, WRITE_BODY_LIMIT_KB } from '../editing/editing.schema';
import { finderAnswerJson } from '../finder/finder.json';
import { finderApiQuery } from '../finder/finder.schema';
import { errorBody } from '../shared/errors';
import { buildOpenApiDocument, orEmpty, type Answer, type ApiRoute, type SchemaObject } from '../shared/openapi';
import { pageEnvelope } from '../shared/pagination';
import { isoDateTime, stateCode } from '../shared/vocabulary';
import {
  authorityJson,
  authorityOrStubJson,
  designationTypeJson,
  instrumentJson,
  searchResultJson,
  stateDetailJson,
  stateSummaryJson,
} from './directory.json';
import { authorityIdParam, authorityListQuery, languageOnlyQuery, stateCodeParam, stateDetailQuery, stateListQuery } from './directory.schema';
import { accessLevel, optionalSection, resource } from './directory.types';

/**
 * OpenAPI 3.1 description of API v1, served at /api/v1/openapi.json: a table of routes whose
 * parameters, bodies and answers are the schemas the routes parse with and the JSON builders
 * return (directory.json.ts, editing.json.ts), turned into the document by shared/openapi.ts.
 * A new route is one more row.
 */

/** `{ "data": ... }`, the envelope of every successful answer. */
const data = (description: string, schema: z.ZodType): Answer => ({ description, body: z.object({ data: schema }) });
const page = (description: string, item: z.ZodType): Answer => ({ description, body: pageEnvelope(item) });

const statePath = z.object({ code: stateCodeParam });
const authorityPath = z.object({ id: authorityIdParam });
const ifMatch = z.object({
  'If-Match': ifMatchHeader.optional().meta({ description: 'The version read, e.g. "3", instead of `version` in the body (as given in the ETag of a write\'s answer)' }),
});
const ifMatchRequired = z.object({ 'If-Match': ifMatchHeader.meta({ description: 'The version read, e.g. "3" (as given in the ETag of a write\'s answer)' }) });

const version = z.number().int().min(0).meta({ description: 'Raised by every change; send it back with the next change' });
/** The answers every write may give besides its success. */
const WRITE_ERRORS = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound' } as const;
/** The answers of a write that takes a JSON body: also 413 when the body is over its limit. */
const BODY_WRITE_ERRORS = { ...WRITE_ERRORS, 413: 'PayloadTooLarge' } as const;

const routes = [
  {
    method: 'get', path: '/openapi.json', operationId: 'getOpenApiDocument', summary: 'This document', tag: 'Reference',
    answers: { 200: { description: 'The OpenAPI 3.1 description of the API', body: z.looseObject({}) } },
  },
  {
    method: 'get', path: '/states', operationId: 'listStates', summary: 'Every State and participant, at a glance', tag: 'States',
    description: 'Sorted by name in the language asked for, or by relevance when `q` is given.',
    query: stateListQuery,
    answers: { 200: page('One page of the States', stateSummaryJson), 400: 'BadRequest' },
  },
  {
    method: 'get', path: '/states/{code}', operationId: 'getState', summary: 'One State with its authorities and optional section', tag: 'States',
    description: 'The authorities come page by page (`page`, `limit`; `authorityCount` is their total); a `Link` header gives the next and previous pages.',
    params: statePath, query: stateDetailQuery,
    answers: { 200: data('The State', stateDetailJson), 400: 'BadRequest', 404: 'NotFound' },
  },
  {
    method: 'get', path: '/authorities', operationId: 'listAuthorities', summary: 'Authorities the caller may see in full', tag: 'Authorities',
    description: 'Authorities of States that restrict their details are left out for anonymous callers.',
    query: authorityListQuery,
    answers: { 200: page('One page of the authorities', authorityJson), 400: 'BadRequest' },
  },
  {
    method: 'get', path: '/search', operationId: 'search', summary: 'States and authorities in one list, best matches first', tag: 'Authorities',
    description:
      'The search page as JSON: States by their names in any language, aliases and codes; authorities the caller may see in full by their ' +
      'names, contact persons, e-mail addresses and cities, and by their State\'s names. Each result says whether it is a State or an ' +
      'authority and why it matched. Without `q`, the States by name, then the authorities. `language`, `channel` and `state` leave States out.',
    query: authorityListQuery,
    answers: { 200: page('One page of the results', searchResultJson), 400: 'BadRequest' },
  },
  {
    method: 'get', path: '/authorities/{id}', operationId: 'getAuthority', summary: 'One authority at its stable address', tag: 'Authorities',
    description: 'A stub when its State restricts its details from the caller.',
    params: authorityPath, query: languageOnlyQuery,
    answers: { 200: data('The authority', authorityOrStubJson), 400: 'BadRequest', 404: 'NotFound' },
  },
  {
    method: 'put', path: '/authorities/{id}', operationId: 'updateAuthority', summary: "Replaces an authority's editable fields", tag: 'Editing',
    description: 'Refused with 409 when the authority changed since the version sent (in the body or If-Match).',
    params: authorityPath, headers: ifMatch, body: { description: 'The authority as it should be', schema: authorityBody },
    answers: { 200: data('The authority as saved', authorityJson), ...BODY_WRITE_ERRORS, 409: 'Conflict' },
  },
  {
    method: 'delete', path: '/authorities/{id}', operationId: 'removeAuthority', summary: 'Removes an authority', tag: 'Editing',
    description: 'The version read goes in If-Match; the removal can be undone from the history.',
    params: authorityPath, headers: ifMatchRequired,
    answers: { 204: { description: 'Removed' }, ...WRITE_ERRORS, 409: 'Conflict' },
  },
  {
    method: 'post', path: '/states/{code}/authorities', operationId: 'createAuthority', summary: 'Adds an authority to a State', tag: 'Editing',
    params: statePath, body: { description: 'The new authority', schema: authorityBody },
    answers: { 201: data('The authority as saved, at the address in Location', authorityJson), ...BODY_WRITE_ERRORS },
  },
  {
    method: 'put', path: '/states/{code}/optional', operationId: 'updateOptionalSection', tag: 'Editing',
    summary: "Replaces a State's requirement summaries, laws, treaties and alternative arrangements",
    params: statePath, headers: ifMatch, body: { description: 'The optional section as it should be', schema: optionalSectionBody },
    answers: { 200: data('The optional section as saved', z.object({ code: stateCode, version, optional: optionalSection })), ...BODY_WRITE_ERRORS, 409: 'Conflict' },
  },
  {
    method: 'put', path: '/states/{code}/access', operationId: 'setAccess', tag: 'Editing',
    summary: 'Sets whether the State publishes its details to everyone or to authorized users only', description: 'Recorded in the audit log.',
    params: statePath, headers: ifMatch, body: { description: 'The access setting', schema: accessBody },
    answers: { 200: data('The setting as saved', z.object({ code: stateCode, access: accessLevel, version })), ...BODY_WRITE_ERRORS, 409: 'Conflict' },
  },
  {
    method: 'post', path: '/states/{code}/confirm', operationId: 'confirmStillAccurate', tag: 'Editing',
    summary: "Confirms that the State's entries are still accurate", description: "Sets the State's last-confirmed date to now; no body is needed.",
    params: statePath,
    answers: {
      200: data("The State's stamps", z.object({
        code: stateCode,
        lastUpdated: isoDateTime.nullable().meta({ description: 'When the entry last changed; null when never' }),
        lastConfirmed: isoDateTime.meta({ description: 'Now' }),
      })),
      ...WRITE_ERRORS,
    },
  },
  {
    method: 'get', path: '/states/{code}/revisions', operationId: 'listRevisions', summary: "The State's changes, newest first", tag: 'Editing',
    params: statePath, query: revisionListQuery,
    answers: { 200: data('The revisions', z.array(revisionJson)), ...WRITE_ERRORS },
  },
  {
    method: 'get', path: '/find', operationId: 'findAuthority', tag: 'Authorities',
    summary: 'The authority to send a kind of request to in a State, how to send it and what the State requires',
    description:
      'The same answer as the page /find. When the State restricts its details from the caller, `authorities` is empty and ' +
      '`requirements`, `legalBasisForExtradition` and `alternativeArrangements` are null; `holderCount` (public, as on the State page) ' +
      'still says whether the designation is held. A code of no State answers 404; a `from` equal to `to` is left out.',
    query: finderApiQuery,
    answers: { 200: data('The answer', finderAnswerJson), 400: 'BadRequest', 404: 'NotFound' },
  },
  {
    method: 'get', path: '/designations', operationId: 'listDesignationTypes', summary: 'The catalogue of designations, core ones first', tag: 'Reference',
    query: languageOnlyQuery,
    answers: { 200: data('The designation types', z.array(designationTypeJson)), 400: 'BadRequest' },
  },
  {
    method: 'get', path: '/instruments', operationId: 'listInstruments', summary: 'The instruments whose designations the Directory records, in list order', tag: 'Reference',
    query: languageOnlyQuery,
    answers: { 200: data('The instruments', z.array(instrumentJson)), 400: 'BadRequest' },
  },
  {
    method: 'get', path: '/resources', operationId: 'listResources', summary: 'Tools, model treaties and laws, manuals', tag: 'Reference',
    query: languageOnlyQuery,
    answers: { 200: data('The resources, by category then title', z.array(resource)), 400: 'BadRequest' },
  },
] as const satisfies readonly ApiRoute[];

const error = (description: string): Answer => ({ description, body: errorBody });

export const openApiDocument = buildOpenApiDocument({
  info: {
    title: 'Central Authorities Directory API',
    version: '1.0.0',
    description:
      'JSON API of the directory of central authorities designated under the United Nations Convention against ' +
      'Transnational Organized Crime and its Protocols. It follows the same access rules as the pages: authorities of a State ' +
      'that restricts its details appear to anonymous callers as stubs, without names or contacts. Unknown query parameters ' +
      'are refused with 400. The Editing operations are for a State’s focal points and the secretariat, signed in (a session ' +
      'cookie, with the X-CSRF-Token header) or with a personal API token; invalid input is refused with 400 and the offending ' +
      'fields, and a change made from a stale version with 409 and what changed meanwhile. While the database cannot be ' +
      'reached, reads still answer from the copy in memory with the header X-Directory-Stale-Since (ISO 8601: the answer may ' +
      'be out of date since then), and writes answer 503 `service_unavailable` with Retry-After (nothing was saved).',
    license: { name: 'Apache 2.0', identifier: 'Apache-2.0' },
  },
  servers: [{ url: '/api/v1' }],
  tags: [{ name: 'States' }, { name: 'Authorities' }, { name: 'Reference' }, { name: 'Editing', description: 'Changes by focal points and the secretariat' }],
  answers: {
    BadRequest: error('A parameter is unknown or not valid (`invalid_parameters`, with `fields`), or the request is malformed (`bad_request`)'),
    NotFound: error('Nothing with that code or identifier (`not_found`)'),
    Unauthorized: error('Not signed in and no API token (`unauthorized`)'),
    Forbidden: error("The caller may not change this State's entries, or a session request lacks its CSRF token (`forbidden`)"),
    PayloadTooLarge: error(`The JSON body is over the ${WRITE_BODY_LIMIT_KB} KB a write takes (\`payload_too_large\`); nothing was written`),
    Conflict: error(
      'Someone saved the entry since the version sent (`conflict`): `changes`, `changedBy` and `currentVersion` say what and who; nothing was written',
    ),
  },
  routes,
});

/** A path of the API as the document writes it, e.g. `/states/{code}`. */
export type ApiPath = (typeof routes)[number]['path'];

/**
 * The document as served: designation codes, which the secretariat may add to, are listed from the
 * catalogue where the API refuses any other (the filter, an authority's designations).
 */
export function openApiDocumentFor(designationCodes: readonly string[]): typeof openApiDocument {
  const document = structuredClone(openApiDocument);
  const known: SchemaObject = { type: 'string', enum: [...designationCodes], description: 'Designation code: instrument, article, paragraph' };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'query' && parameter.name === 'designation') parameter.schema = orEmpty(known);
      }
    }
  }
  const designations = (document.components.schemas.AuthorityInput?.properties as Record<string, SchemaObject> | undefined)?.designations;
  if (designations) designations.items = known;
  return document;
}
