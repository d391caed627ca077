using Arvo.Factories;
using Arvo.Handlers;
using Arvo.Machines;
using Arvo.Memory;
using Arvo.Resumable;

namespace Arvo.Docs;

// docs:types:begin
public sealed record CheckoutContext(double Amount);
// docs:types:end

/// <summary>The code of docs/resumable.md, run.</summary>
public sealed class ResumableDocTests
{
    private sealed record Checkout(
        ArvoOrchestratorContract Contract,
        ArvoResumable Resumable,
        SimpleMachineMemory<ArvoResumableState> Memory,
        ArvoEventHandler Shipping,
        ArvoEventHandler Tax);

    private static Checkout Build()
    {
        // docs:contracts:begin
        var checkout = ArvoContract.CreateOrchestrator("#/demo/checkout", "demo.checkout", contract => contract
            .Version("1.0.0", version => version
                .Init("""{"type":"object","properties":{"amount":{"type":"number"},"weight":{"type":"number"}},"required":["amount","weight"]}""")
                .Complete("""{"type":"object","properties":{"total":{"type":["number","null"]},"error":{"type":["string","null"]}},"required":["total","error"]}""")));
        var shipping = ArvoContract.Create("#/demo/shipping", "com.demo.shipping", contract => contract
            .Version("1.0.0", version => version
                .Accepts("""{"type":"object","properties":{"weight":{"type":"number"}},"required":["weight"]}""")
                .Emits("evt.demo.shipping.success", """{"type":"object","properties":{"cost":{"type":"number"}},"required":["cost"]}""")));
        var tax = ArvoContract.Create("#/demo/tax", "com.demo.tax", contract => contract
            .Version("1.0.0", version => version
                .Accepts("""{"type":"object","properties":{"amount":{"type":"number"}},"required":["amount"]}""")
                .Emits("evt.demo.tax.success", """{"type":"object","properties":{"tax":{"type":"number"}},"required":["tax"]}""")));
        // docs:contracts:end

        // docs:resumable:begin
        var memory = new SimpleMachineMemory<ArvoResumableState>();
        var resumable = ArvoResumable.CreateBuilder<CheckoutContext>(checkout)
            .Memory(memory)
            .ExecutionUnits(1)
            .Service("shipping", shipping.Version("1.0.0"))
            .Service("tax", tax.Version("1.0.0"))
            .Version("1.0.0", context =>
            {
                // The init event: remember what later calls need, ask both services at once.
                if (context.Input is { } init)
                {
                    var amount = init.Data.GetProperty("amount").GetDouble();
                    return new()
                    {
                        Context = new CheckoutContext(amount),
                        Services =
                        [
                            ArvoMachineEmit.Create("com.demo.shipping", new { weight = init.Data.GetProperty("weight").GetDouble() }),
                            ArvoMachineEmit.Create("com.demo.tax", new { amount }),
                        ],
                    };
                }

                // A service failed: complete at once; answers arriving later are ignored.
                if (context.Service is { Type: "sys.com.demo.shipping.error" or "sys.com.demo.tax.error" } failed)
                {
                    return new() { Output = new { total = (double?)null, error = failed.GetSystemErrorData()!.ErrorMessage } };
                }

                // An answer: complete once both are in, otherwise keep waiting (null changes nothing).
                var shippingCosts = context.Collected("evt.demo.shipping.success");
                var taxes = context.Collected("evt.demo.tax.success");
                if (shippingCosts.Count == 0 || taxes.Count == 0)
                {
                    return null;
                }

                var total = context.Context!.Amount
                    + shippingCosts[0].Data.GetProperty("cost").GetDouble()
                    + taxes[0].Data.GetProperty("tax").GetDouble();
                return new() { Output = new { total, error = (string?)null } };
            })
            .Build();
        // resumable.RequiresResourceLocking == true: with more than one service, answers may arrive together
        // docs:resumable:end

        // docs:services:begin
        var shippingService = ArvoEventHandler.CreateBuilder(shipping)
            .Version("1.0.0", ctx => ctx.Data.GetProperty("weight").GetDouble() > 30
                ? throw new InvalidOperationException("too heavy to ship")
                : ArvoHandlerOutput.Emit("evt.demo.shipping.success", new { cost = 5 * ctx.Data.GetProperty("weight").GetDouble() }))
            .Build();
        var taxService = ArvoEventHandler.CreateBuilder(tax)
            .Version("1.0.0", ctx => ArvoHandlerOutput.Emit("evt.demo.tax.success", new { tax = 0.2 * ctx.Data.GetProperty("amount").GetDouble() }))
            .Build();
        // docs:services:end
        return new Checkout(checkout, resumable, memory, shippingService, taxService);
    }

    [Fact]
    public async Task Resumable_StepByStep_WaitsForBothAnswersThenCompletes()
    {
        var (checkout, resumable, memory, shippingService, taxService) = Build();

        // docs:steps:begin
        var init = new ArvoOrchestratorEventFactory(checkout.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "com.demo.shop" },
            new { amount = 100, weight = 2 });

        var commands = (await resumable.ExecuteAsync(init)).All;      // com.demo.shipping, com.demo.tax
        var shippingAnswer = (await shippingService.ExecuteAsync(commands[0])).All.Single();
        var taxAnswer = (await taxService.ExecuteAsync(commands[1])).All.Single();

        var afterShipping = (await resumable.ExecuteAsync(shippingAnswer)).All;   // empty: still waiting for tax
        var afterTax = (await resumable.ExecuteAsync(taxAnswer)).All;             // the completion
        // afterTax.Single(): arvo.orc.demo.checkout.done {"total":130,"error":null} to com.demo.shop
        var record = await memory.ReadRecordAsync(init.Subject);
        // record.Status == "done", record.State == {"amount":100} (the context, stored as JSON between calls)
        // docs:steps:end

        commands.Select(e => (e.Type, e.Data.GetRawText(), e.To, e.Subject)).Should().Equal(
            ("com.demo.shipping", """{"weight":2}""", "com.demo.shipping", init.Subject),
            ("com.demo.tax", """{"amount":100}""", "com.demo.tax", init.Subject));
        afterShipping.Should().BeEmpty();
        var done = afterTax.Should().ContainSingle().Subject;
        (done.Type, done.Data.GetRawText(), done.To, done.Subject, done.ParentId).Should().Be(
            ("arvo.orc.demo.checkout.done", """{"total":130,"error":null}""", "com.demo.shop", init.Subject, init.Id));
        record!.Status.Should().Be("done");
        record.State!.Value.GetRawText().Should().Be("""{"amount":100}""");
        resumable.RequiresResourceLocking.Should().BeTrue();
    }

    [Fact]
    public async Task Resumable_ServiceFails_CompletesWithTheError()
    {
        var (checkout, resumable, _, shippingService, taxService) = Build();

        // docs:failure:begin
        var broker = SimpleEventBroker.Create([resumable, shippingService, taxService]);
        var done = await broker.ResolveAsync(new ArvoOrchestratorEventFactory(checkout.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "com.demo.shop" },
            new { amount = 100, weight = 50 }));
        // done.Data == {"total":null,"error":"too heavy to ship"}
        // docs:failure:end

        (done!.Type, done.Data.GetRawText()).Should().Be(("arvo.orc.demo.checkout.done", """{"total":null,"error":"too heavy to ship"}"""));
    }

    [Fact]
    public async Task Resumable_InitNamingAnUndeclaredVersion_IsAContractViolation()
    {
        var (checkout, resumable, memory, _, _) = Build();
        var init = new ArvoOrchestratorEventFactory(checkout.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "com.demo.shop" },
            new { amount = 100, weight = 2 });

        var act = async () => await resumable.ExecuteAsync(init.WithDataSchema("#/demo/checkout/0.0.0"));

        (await act.Should().ThrowAsync<ContractViolation>()).Which.Message.Should().Be(
            "ViolationError<Contract> Input validation failed - Event data does not meet contract requirements: The contract (uri=#/demo/checkout) does not have version=0.0.0");
        (await memory.ReadRecordAsync(init.Subject)).Should().BeNull();
    }

    [Fact]
    public void Page_ShowsEveryRegion() => DocPages.AssertShowsEveryRegion("resumable");
}
