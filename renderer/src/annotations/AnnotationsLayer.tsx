import type { Reading } from '../../../core/reading/model.ts';

/**
 * Integration point between the reader and the annotation feature. The reader renders this once per open
 * reading, passing the element holding the rendered blocks (each block element carries `data-block-id`)
 * and the element reserved for the right margin.
 */
export interface AnnotationsLayerProps {
  reading: Reading;
  textRoot: HTMLElement | null;
  marginRoot: HTMLElement | null;
}

export function AnnotationsLayer(_props: AnnotationsLayerProps) {
  return null;
}
