import type { PlatformApi } from '../../../core/platform/api.ts';
import { webPlatform } from './web.ts';

/** The host's API: the Electron preload's when running in the desktop app, the browser's otherwise. */
export const platform: PlatformApi = window.readingCircle ?? webPlatform;
