import type { RequestHandler } from 'express';
import multer from 'multer';

/**
 * A multipart form with at most one file (`file`), kept in memory. A file or field over the size
 * limit is not thrown: `res.locals.uploadTooLarge` is set, so the page says it at its field.
 */
export function receiveOneFile(limits: { maxBytes: number; fields: number }): RequestHandler {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: limits.maxBytes, fieldSize: limits.maxBytes, files: 1, fields: limits.fields } });
  return (req, res, next) => {
    upload.single('file')(req, res, (error?: unknown) => {
      if (error instanceof multer.MulterError && (error.code === 'LIMIT_FILE_SIZE' || error.code === 'LIMIT_FIELD_VALUE')) {
        res.locals.uploadTooLarge = true;
        return next();
      }
      next(error);
    });
  };
}
