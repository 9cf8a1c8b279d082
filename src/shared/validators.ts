import { isValidPhoneNumber } from 'libphonenumber-js/max';

/** Shared checks for contact data, used by the Mongoose models and by the input schemas alike. */

const timeZones = new Set(Intl.supportedValuesOf('timeZone'));
// Intl lists canonical zones only; aliases such as UTC and Etc/GMT are valid too.
const isTimeZone = (zone: string): boolean => {
  if (timeZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

export const validators = {
  /** E.164: a plus sign, country code and subscriber number, valid for that country's plan. */
  phone: (value: string): boolean => /^\+[1-9]\d{6,14}$/.test(value) && isValidPhoneNumber(value),
  email: (value: string): boolean => /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/.test(value) && value.length <= 254,
  httpUrl: (value: string): boolean => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && value.length <= 2048;
    } catch {
      return false;
    }
  },
  timeZone: isTimeZone,
  /** ISO 639-1 (or 639-2/3 where no two-letter code exists), known to CLDR. */
  language: (value: string): boolean => /^[a-z]{2,3}$/.test(value) && languageNames.of(value) !== undefined,
  isoDate: (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)),
  clockTime: (value: string): boolean => /^([01]\d|2[0-3]):[0-5]\d$/.test(value),
};
