// The counter system (samples/Counter/CounterSystem) as an HTTP service on SQLite: POST CloudEvents to /events,
// start a workflow with plain JSON at POST /workflows/arvo.orc.counter, read it at GET /workflows/{subject}.
// Run: dotnet run --project samples/HttpHost   (http://localhost:5080; README.md "HTTP host" shows this file)
using Arvo.AspNetCore;
using Arvo.Hosting;
using Arvo.Samples.Counter;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddProblemDetails();
builder.Services.AddArvo(builder.Configuration.GetSection("Arvo"), arvo => arvo
    .AddOrchestrator(orchestrator => orchestrator.Machines(CounterMachine.Create()))
    .AddHandler(CounterHandlers.CreateIncrement())
    .AddHandler(CounterHandlers.CreateDecrement())
    .AddHandler(CounterHandlers.CreateNotification())
    .UseSqliteMemory(builder.Configuration["Database"] ?? "httphost.db"));

var app = builder.Build();
app.MapArvo("/events");
app.MapArvoWorkflows("/workflows");
await app.RunAsync();
