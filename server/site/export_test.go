package site

// WorkerTemplate is worker.js as embedded, for the tests of package site_test.
var WorkerTemplate = workerJS
