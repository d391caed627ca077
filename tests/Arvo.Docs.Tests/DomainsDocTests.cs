using Arvo.Broker;
using Arvo.Factories;
using Arvo.Handlers;
using Arvo.Machines;
using Arvo.Memory;

namespace Arvo.Docs;

// docs:types:begin
public sealed record PublishContext(string Document, bool Approved, string? Reviewer);
// docs:types:end

/// <summary>The code of docs/domains.md, run.</summary>
public sealed class DomainsDocTests
{
    [Fact]
    public async Task HandlerOutput_InTwoDomains_IsEmittedTwiceAndBucketed()
    {
        // docs:buckets:begin
        var invoice = ArvoContract.Create("#/demo/invoice", "com.demo.invoice", contract => contract
            .Version("1.0.0", version => version
                .Accepts("""{"type":"object","properties":{"amount":{"type":"number"}},"required":["amount"]}""")
                .Emits("evt.demo.invoice.success", """{"type":"object","properties":{"number":{"type":"string"}},"required":["number"]}""")));
        var handler = ArvoEventHandler.CreateBuilder(invoice)
            .Version("1.0.0", _ => ArvoHandlerOutput.Emit("evt.demo.invoice.success", new { number = "INV-7" })
                with { Domain = [ArvoDomain.Local, "audit"] })    // one copy for the caller, one for the audit channel
            .Build();
        var request = new ArvoEventFactory(invoice.Version("1.0.0"))
            .Accepts(new ArvoEventEnvelope { Source = "com.demo.client" }, new { amount = 10 });

        var result = await handler.ExecuteAsync(request);
        // result.All: two evt.demo.invoice.success events, same data, distinct ids, domain null and "audit"
        // result.Events (the null-domain bucket): the first; result.ForDomain("audit"): the second
        // result.AllEventDomains == ["default", "audit"]; result.DomainedEvents has "all", "default" and "audit"
        // docs:buckets:end

        result.All.Select(e => (e.Type, e.Domain, e.Data.GetRawText())).Should().Equal(
            ("evt.demo.invoice.success", (string?)null, """{"number":"INV-7"}"""),
            ("evt.demo.invoice.success", "audit", """{"number":"INV-7"}"""));
        result.All[0].Id.Should().NotBe(result.All[1].Id);
        result.Events.Should().Equal(result.All[0]);
        result.ForDomain("audit").Should().Equal(result.All[1]);
        result.ForDomain(null).Should().Equal(result.All[0]);
        result.AllEventDomains.Should().Equal("default", "audit");
        result.DomainedEvents.Keys.Should().BeEquivalentTo("all", "default", "audit");
        result.DomainedEvents["all"].Should().Equal(result.All);
    }

    [Fact]
    public async Task HumanInTheLoop_TheWorkflowWaitsForTheReviewersDecision()
    {
        // docs:review-contracts:begin
        // The reviewer is a person: the review contract lives in the "human.review" domain.
        var review = ArvoContract.Create("#/demo/review", "com.demo.review", contract => contract
            .Domain("human.review")
            .Version("1.0.0", version => version
                .Accepts("""{"type":"object","properties":{"document":{"type":"string"}},"required":["document"]}""")
                .Emits("evt.demo.review.success", """{"type":"object","properties":{"approved":{"type":"boolean"},"reviewer":{"type":"string"}},"required":["approved","reviewer"]}""")));
        var publish = ArvoContract.CreateOrchestrator("#/demo/publish", "demo.publish", contract => contract
            .Version("1.0.0", version => version
                .Init("""{"type":"object","properties":{"document":{"type":"string"}},"required":["document"]}""")
                .Complete("""{"type":"object","properties":{"published":{"type":"boolean"},"reviewer":{"type":"string"}},"required":["published","reviewer"]}""")));
        // docs:review-contracts:end

        // docs:review-machine:begin
        var machine = ArvoMachine.Setup<PublishContext>(publish.Version("1.0.0"))
            .Service("review", review.Version("1.0.0"))
            .CreateMachine("publish", m => m
                .Context(input => new PublishContext(input.Data.GetProperty("document").GetString()!, Approved: false, Reviewer: null))
                .Initial("reviewing")
                .State("reviewing", s => s
                    // The request goes to the review contract's domain instead of the default bus.
                    .Entry(a => a.Emit(ctx => ArvoMachineEmit.Create("com.demo.review", new { document = ctx.Document })
                        with { Domain = [ArvoDomain.FromEventContract] }))
                    .On("evt.demo.review.success", "published", t => t
                        .Guard((_, evt) => evt.Data.GetProperty("approved").GetBoolean())
                        .Assign((ctx, evt) => ctx with { Approved = true, Reviewer = evt.Data.GetProperty("reviewer").GetString() }))
                    .On("evt.demo.review.success", "rejected", t => t
                        .Assign((ctx, evt) => ctx with { Reviewer = evt.Data.GetProperty("reviewer").GetString() })))
                .Final("published")
                .Final("rejected")
                .Output(ctx => new { published = ctx.Approved, reviewer = ctx.Reviewer }));
        // docs:review-machine:end

        // docs:review-run:begin
        // The broker publishes null-domain events and hands every other event to OnDomainedEvent:
        // here, a task list the reviewers' UI reads.
        var tasks = new List<ArvoDomainedEvent>();
        var broker = SimpleEventBroker.Create(
            [ArvoOrchestrator.CreateBuilder().Memory(new SimpleMachineMemory<MachineMemoryRecord>()).ExecutionUnits(1).Machines(machine).Build()],
            new SimpleEventBrokerOptions
            {
                OnDomainedEvent = (domained, _) =>
                {
                    tasks.Add(domained);
                    return ValueTask.CompletedTask;
                },
            });
        var completions = new List<ArvoEvent>();
        using var author = broker.Subscribe("com.demo.author", (evt, _) =>
        {
            completions.Add(evt);
            return ValueTask.CompletedTask;
        });

        var init = new ArvoOrchestratorEventFactory(publish.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "com.demo.author" },
            new { document = "release notes" });
        await broker.PublishAsync(init);
        // The workflow now waits: completions is empty, tasks holds one event in domain "human.review".

        // Hours later a reviewer approves in the UI, which answers the request like any service would.
        var request = tasks.Single().Event;
        var decision = new ArvoEventFactory(review.Version("1.0.0")).Emits(
            new ArvoEventEnvelope { Source = "com.demo.review", Subject = request.Subject, To = request.Source, ParentId = request.Id },
            "evt.demo.review.success",
            new { approved = true, reviewer = "grace" });
        await broker.PublishAsync(decision);
        // completions.Single(): arvo.orc.demo.publish.done {"published":true,"reviewer":"grace"}
        // docs:review-run:end

        var task = tasks.Should().ContainSingle().Subject;
        (task.Domain, request.Type, request.Domain, request.To, request.Subject, request.Data.GetRawText()).Should().Be(
            ("human.review", "com.demo.review", "human.review", "com.demo.review", init.Subject, """{"document":"release notes"}"""));
        var done = completions.Should().ContainSingle().Subject;
        (done.Type, done.Data.GetRawText(), done.Subject, done.ParentId, done.Domain).Should().Be(
            ("arvo.orc.demo.publish.done", """{"published":true,"reviewer":"grace"}""", init.Subject, init.Id, (string?)null));
    }

    [Fact]
    public void Page_ShowsEveryRegion() => DocPages.AssertShowsEveryRegion("domains");
}
