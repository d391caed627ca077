// The OpenTelemetry SDK listens to every ActivitySource and Meter of a name in the process: one host at a time keeps
// each test's exported spans and metrics its own.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
