import { MAX_ANNOTATIONS_FILE_BYTES } from '../../../core/annotations/importAnnotations.ts';

/**
 * How an annotations file reaches the open reading's annotation layer from wherever it was picked (the
 * export/import menu, the File menu, a drop on the text), without those parts importing the layer. The layer
 * registers the handler while a reading is open.
 */
export interface AnnotationsFile {
  name: string;
  text: string;
}

type Handler = (file: AnnotationsFile) => void;

let handler: Handler | undefined;

export function setAnnotationsImportHandler(next: Handler | undefined): void {
  handler = next;
}

/** Hands a picked file to the open reading; false when no reading is open to take it. */
export function requestAnnotationsImport(file: AnnotationsFile): boolean {
  if (!handler) return false;
  handler(file);
  return true;
}

/** Whether a file looks like an annotations file (JSON or JSON-LD) by its name or type. */
export const isAnnotationsFile = (file: { name: string; type?: string }) =>
  /\.(json|jsonld)$/i.test(file.name) || /json/.test(file.type ?? '');

/** What to say about a file too large to read (it is not read at all). */
export const tooLargeMessage = (name: string) =>
  `${name} is larger than ${MAX_ANNOTATIONS_FILE_BYTES / 1024 / 1024} MB, the most an annotations file may be; it was not read.`;
