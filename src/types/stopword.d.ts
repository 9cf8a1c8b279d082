/** The word lists of the `stopword` package used here (it ships no type declarations). */
declare module 'stopword' {
  export const ara: string[];
  export const eng: string[];
  export const fra: string[];
  export const rus: string[];
  export const spa: string[];
  export const zho: string[];
}
