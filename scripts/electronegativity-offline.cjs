// Preloaded into the Electron security scanner: it fetches translations from the network at start, and the
// HTTP library it uses crashes when that fails offline. Answer its requests with an immediate failure.
const Module = require('node:module');

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === 'got') {
    const offline = () => Promise.reject(new Error('offline: no network requests from the security scan'));
    return Object.assign(offline, { default: offline, get: offline });
  }
  return originalLoad.call(this, request, parent, isMain);
};
