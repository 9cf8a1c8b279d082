import express, { type RequestHandler } from 'express';
import { AppError } from './errors';

/**
 * No input the Directory takes nests deeper than a handful of levels (an authority's contact
 * person's telephone is four). Deeper documents are refused before anything walks them, since
 * recursive code (validation, blank-row detection, copies) would otherwise overflow the stack.
 */
export const MAX_JSON_DEPTH = 32;

/** Whether a JSON text opens more than `max` arrays or objects inside one another; brackets within strings do not count. */
export function jsonNestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++; // backslash: the next character is escaped
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      if (++depth > max) return true;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return false;
}

/** A JSON body nested too deeply: a client's mistake, answered 400 like any malformed body. */
export class JsonTooDeepError extends AppError {
  constructor() {
    super(400, 'bad_request', `The JSON body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`);
  }
}

/** The body as text in its declared charset (JSON allows UTF-16 and UTF-32 too); UTF-8 when the decoder does not know it. */
function decode(buffer: Buffer, encoding: string | undefined): string {
  try {
    return new TextDecoder(encoding ?? 'utf-8').decode(buffer);
  } catch {
    return buffer.toString('utf8');
  }
}

/** express.json with its depth checked on the raw text before it is parsed. */
export function jsonBody(options: { limit: string }): RequestHandler {
  return express.json({
    limit: options.limit,
    verify: (_req, _res, buffer, encoding) => {
      if (jsonNestsDeeperThan(decode(buffer, encoding))) throw new JsonTooDeepError();
    },
  });
}
