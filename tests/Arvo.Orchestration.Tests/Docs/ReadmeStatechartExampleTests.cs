using System.Text.Json.Nodes;
using Arvo.Factories;
using Arvo.Machines;

namespace Arvo.Tests.Docs;

/// <summary>The machine context of the README's statechart example.</summary>
/// <param name="Amount">The amount to charge.</param>
/// <param name="Retries">Validation retries so far.</param>
/// <param name="Outcome">How the payment ended.</param>
public sealed record PaymentContext(double Amount, int Retries, string? Outcome);

/// <summary>
/// The README's "Statechart semantics" example, compiled and run. The region between the markers is copied verbatim
/// into README.md; <see cref="Readme_ContainsTheStatechartExample"/> keeps them in sync.
/// </summary>
public sealed class ReadmeStatechartExampleTests
{
    [Fact]
    public void StatechartExample_RetriesThenCompletes()
    {
        // README:statechart:start
        const string Amount = """{"type":"object","properties":{"amount":{"type":"number"}},"required":["amount"]}""";
        var validate = ArvoContract.Create("#/demo/validate", "com.demo.validate", c => c
            .Version("1.0.0", v => v.Accepts(Amount).Emits("evt.demo.validate.success", Amount)));
        var charge = ArvoContract.Create("#/demo/charge", "com.demo.charge", c => c
            .Version("1.0.0", v => v.Accepts(Amount).Emits("evt.demo.charge.success", Amount)));
        var payment = ArvoContract.CreateOrchestrator("#/demo/payment", "demo.payment", c => c
            .Version("1.0.0", v => v
                .Init(Amount)
                .Complete("""{"type":"object","properties":{"outcome":{"type":"string"}},"required":["outcome"]}""")));

        var machine = ArvoMachine.Setup<PaymentContext>(payment.Version("1.0.0"))
            .Service("validate", validate.Version("1.0.0"))
            .Service("charge", charge.Version("1.0.0"))
            .CreateMachine("payment", m => m
                .Context(input => new PaymentContext(input.Data.GetProperty("amount").GetDouble(), Retries: 0, Outcome: null))
                .Initial("processing")
                .State("processing", s => s                      // compound: it has child states
                    .Initial("validate")
                    .State("validate", v => v
                        .Entry(a => a.EnqueueArvoEvent("com.demo.validate", ctx => new { amount = ctx.Amount }))
                        .On("evt.demo.validate.success", "charge")
                        // The child's own handler wins over the parent's; Reenter() re-runs exit and entry,
                        // so the entry sends the command again (without it only the transition's actions run).
                        .On("sys.com.demo.validate.error", "validate", t => t
                            .Guard(ctx => ctx.Retries < 2)
                            .Reenter()
                            .Assign(ctx => ctx with { Retries = ctx.Retries + 1 })))
                    .State("charge", c => c
                        .Entry(a => a.EnqueueArvoEvent("com.demo.charge", ctx => new { amount = ctx.Amount }))
                        .On("evt.demo.charge.success", "paid"))
                    .Final("paid")                               // entering it raises processing's OnDone
                    .On("sys.com.demo.validate.error", "failed") // applies whichever child is active
                    .On("sys.com.demo.charge.error", "failed")
                    .OnDone("completed"))
                .Final("completed", s => s.Entry(a => a.Assign(ctx => ctx with { Outcome = "completed" })))
                .Final("failed", s => s.Entry(a => a.Assign(ctx => ctx with { Outcome = "failed" })))
                .Output(ctx => new { outcome = ctx.Outcome }));

        // Stored state values, step by step: {"processing":"validate"} → (validate error: retried, the command is sent
        // again) {"processing":"validate"} → {"processing":"charge"} → "completed", output {"outcome":"completed"}.
        // README:statechart:end

        var init = new ArvoOrchestratorEventFactory(payment.Version("1.0.0"))
            .Init(new ArvoEventEnvelope { Source = "com.demo.client" }, new JsonObject { ["parentSubject$$"] = null, ["amount"] = 10 });
        var started = MachineExecutionEngine.Instance.Execute(machine, null, init);
        var retried = MachineExecutionEngine.Instance.Execute(machine, started.Snapshot, new ArvoEventFactory(validate.Version("1.0.0"))
            .SystemError(new ArvoEventEnvelope { Source = "com.demo.validate", Subject = init.Subject }, new InvalidOperationException("busy")));
        var validated = MachineExecutionEngine.Instance.Execute(machine, retried.Snapshot, new ArvoEventFactory(validate.Version("1.0.0"))
            .Emits(new ArvoEventEnvelope { Source = "com.demo.validate", Subject = init.Subject }, "evt.demo.validate.success", new { amount = 10 }));
        var charged = MachineExecutionEngine.Instance.Execute(machine, validated.Snapshot, new ArvoEventFactory(charge.Version("1.0.0"))
            .Emits(new ArvoEventEnvelope { Source = "com.demo.charge", Subject = init.Subject }, "evt.demo.charge.success", new { amount = 10 }));

        started.Snapshot.ValueToJson().ToJsonString().Should().Be("""{"processing":"validate"}""");
        retried.Events.Select(e => e.Type).Should().Equal("com.demo.validate");
        retried.Snapshot.ValueToJson().ToJsonString().Should().Be("""{"processing":"validate"}""");
        validated.Events.Select(e => e.Type).Should().Equal("com.demo.charge");
        validated.Snapshot.ValueToJson().ToJsonString().Should().Be("""{"processing":"charge"}""");
        charged.Snapshot.Value.Should().Be("completed");
        charged.Snapshot.Output!.Value.GetRawText().Should().Be("""{"outcome":"completed"}""");
    }

    [Fact]
    public void Readme_ContainsTheStatechartExample()
    {
        var root = ReadmeHandlerExampleTests.RepositoryRoot();
        var source = File.ReadAllText(Path.Combine(root, "tests", "Arvo.Orchestration.Tests", "Docs", "ReadmeStatechartExampleTests.cs")).ReplaceLineEndings("\n");
        var start = source.IndexOf("// README:statechart:start\n", StringComparison.Ordinal) + "// README:statechart:start\n".Length;
        var end = source.IndexOf("        // README:statechart:end", StringComparison.Ordinal);
        var example = string.Join('\n', source[start..end].TrimEnd('\n').Split('\n').Select(line => line.Length >= 8 ? line[8..] : line.TrimStart()));

        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");

        readme.Should().Contain(example);
    }
}
