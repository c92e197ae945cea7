package site

// WorkerTemplate is worker.js as embedded, for the tests of package site_test.
var WorkerTemplate = workerJS

// PreloadHash is the Content-Security-Policy's source of the pages' one
// inline script.
var PreloadHash = preloadHash
