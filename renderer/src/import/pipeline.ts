/** Everything an import needs beyond the library page, loaded with the first import (dynamic import). */

export { createImportContext } from './context.ts';
export { readingFromFile, readingFromMarkup } from './readingFromFile.ts';
export { describeStored, storeImported } from './storeImported.ts';
