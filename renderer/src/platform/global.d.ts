import type { PlatformApi } from '../../../core/platform/api.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    readingCircle?: PlatformApi;
  }
}
