using System.Text.Json.Nodes;
using Arvo.Broker;
using Arvo.Factories;
using Arvo.Handlers;
using Arvo.Memory;

namespace Arvo.Docs;

// docs:types:begin
public sealed record TripContext(string Subject, string City, string? Hotel);

public sealed record BookingContext(string City, string? Hotel);
// docs:types:end

/// <summary>The code of docs/child-orchestrations.md, run.</summary>
public sealed class ChildOrchestrationsDocTests
{
    private const string CitySchema = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""";
    private const string HotelSchema = """{"type":"object","properties":{"hotel":{"type":"string"}},"required":["hotel"]}""";

    private sealed record TripSystem(ArvoOrchestratorContract Trip, ArvoOrchestratorContract Booking, SimpleEventBroker Broker, SimpleMachineMemory<MachineMemoryRecord> Memory);

    private static TripSystem Build(
        Func<ArvoOrchestratorContract, ArvoOrchestratorContract, ArvoMachine<TripContext>>? parent = null,
        Func<ArvoOrchestratorContract, ArvoMachine<BookingContext>>? child = null)
    {
        // docs:contracts:begin
        var trip = ArvoContract.CreateOrchestrator("#/demo/trip", "demo.trip", contract => contract
            .Version("1.0.0", version => version.Init(CitySchema).Complete(HotelSchema)));
        var booking = ArvoContract.CreateOrchestrator("#/demo/booking", "demo.booking", contract => contract
            .Version("1.0.0", version => version.Init(CitySchema).Complete(HotelSchema)));
        var hotels = ArvoContract.Create("#/demo/hotels", "com.demo.hotel", contract => contract
            .Version("1.0.0", version => version.Accepts(CitySchema).Emits("evt.demo.hotel.success", HotelSchema)));
        // docs:contracts:end

        // docs:child:begin
        // The child is an ordinary workflow: it does not know whether a person or a parent workflow started it.
        var bookingMachine = ArvoMachine.Setup<BookingContext>(booking.Version("1.0.0"))
            .Service("hotels", hotels.Version("1.0.0"))
            .CreateMachine("booking", m => m
                .Context(input => new BookingContext(input.Data.GetProperty("city").GetString()!, Hotel: null))
                .Initial("searching")
                .State("searching", s => s
                    .Entry(a => a.Emit("com.demo.hotel", ctx => new { city = ctx.City }))
                    .On("evt.demo.hotel.success", "booked", t => t
                        .Assign((ctx, evt) => ctx with { Hotel = evt.Data.GetProperty("hotel").GetString() })))
                .Final("booked")
                .Output(ctx => new { hotel = ctx.Hotel }));
        // docs:child:end

        // docs:parent:begin
        // The parent registers the child's orchestrator contract as a service and starts it with its init event.
        var tripMachine = ArvoMachine.Setup<TripContext>(trip.Version("1.0.0"))
            .Service("booking", booking.Version("1.0.0"))
            .CreateMachine("trip", m => m
                // Keep the workflow's own subject: the child init names it as its parent.
                .Context(input => new TripContext(input.Subject, input.Data.GetProperty("city").GetString()!, Hotel: null))
                .Initial("booking")
                .State("booking", s => s
                    .Entry(a => a.Emit("arvo.orc.demo.booking", ctx => new JsonObject
                    {
                        ["parentSubject$$"] = ctx.Subject,
                        ["city"] = ctx.City,
                    }))
                    .On("arvo.orc.demo.booking.done", "done", t => t
                        .Assign((ctx, evt) => ctx with { Hotel = evt.Data.GetProperty("hotel").GetString() }))
                    .On("sys.arvo.orc.demo.booking.error", "failed"))
                .Final("done")
                .Final("failed")
                .Output(ctx => new { hotel = ctx.Hotel ?? "none" }));
        // docs:parent:end

        if (parent is not null)
        {
            tripMachine = parent(trip, booking);
        }

        if (child is not null)
        {
            bookingMachine = child(booking);
        }

        // docs:system:begin
        // One orchestrator per workflow contract; they may share a memory (records are keyed by subject).
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var tripOrchestrator = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(1).Machines(tripMachine).Build();
        var bookingOrchestrator = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(1).Machines(bookingMachine).Build();
        var hotelService = ArvoEventHandler.CreateBuilder(hotels)
            .ExecutionUnits(1)
            .Version("1.0.0", ctx => ArvoHandlerOutput.Emit("evt.demo.hotel.success", new { hotel = $"Grand {ctx.Data.GetProperty("city").GetString()}" }))
            .Build();
        var broker = SimpleEventBroker.Create(
            [tripOrchestrator, bookingOrchestrator, hotelService],
            new SimpleEventBrokerOptions { RecordCapacity = 100 });
        // docs:system:end
        return new TripSystem(trip, booking, broker, memory);
    }

    [Fact]
    public async Task Parent_StartsTheChildAndCompletesWithItsResult()
    {
        var (trip, _, broker, memory) = Build();

        // docs:run:begin
        var init = new ArvoOrchestratorEventFactory(trip.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "com.demo.client" },
            new { city = "Lisbon" });
        var done = await broker.ResolveAsync(init);

        // done.Type == "arvo.orc.demo.trip.done", done.Data == {"hotel":"Grand Lisbon"}, done.To == "com.demo.client"
        // broker.RecordedEvents: arvo.orc.demo.trip → arvo.orc.demo.booking → com.demo.hotel → evt.demo.hotel.success
        //                        → arvo.orc.demo.booking.done → arvo.orc.demo.trip.done
        // docs:run:end

        (done!.Type, done.Data.GetRawText(), done.To, done.Subject, done.ParentId).Should().Be(
            ("arvo.orc.demo.trip.done", """{"hotel":"Grand Lisbon"}""", "com.demo.client", init.Subject, init.Id));
        var events = broker.RecordedEvents;
        events.Select(e => e.Type).Should().Equal(
            "arvo.orc.demo.trip",
            "arvo.orc.demo.booking",
            "com.demo.hotel",
            "evt.demo.hotel.success",
            "arvo.orc.demo.booking.done",
            "arvo.orc.demo.trip.done");

        // docs:subjects:begin
        var childInit = broker.RecordedEvents[1];
        var child = ArvoOrchestrationSubject.Parse(childInit.Subject);
        // child.Orchestrator: arvo.orc.demo.booking 1.0.0, child.Execution.Initiator == "arvo.orc.demo.trip":
        // a new subject of its own, derived from the parent's (whose execution domain it inherits)
        var childDone = broker.RecordedEvents[4];
        // childDone.Subject == init.Subject and childDone.To == "arvo.orc.demo.trip": the child completes under
        // its parent's subject, so the parent's orchestrator finds the parent's record
        // docs:subjects:end

        (childInit.Source, childInit.To, childInit.Data.GetProperty("parentSubject$$").GetString()).Should().Be(("arvo.orc.demo.trip", "arvo.orc.demo.booking", init.Subject));
        childInit.ParentId.Should().Be(init.Id);
        (child.Orchestrator.Name, child.Orchestrator.Version, child.Execution.Initiator, child.Execution.Domain).Should().Be(
            ("arvo.orc.demo.booking", "1.0.0", "arvo.orc.demo.trip", (string?)null));
        childInit.Subject.Should().NotBe(init.Subject);
        events[2].Subject.Should().Be(childInit.Subject, "the child's service commands carry the child's subject");
        (childDone.Subject, childDone.To, childDone.Source, childDone.ParentId, childDone.Data.GetRawText()).Should().Be(
            (init.Subject, "arvo.orc.demo.trip", "arvo.orc.demo.booking", childInit.Id, """{"hotel":"Grand Lisbon"}"""));
        ((MachineMemoryStateRecord)(await memory.ReadRecordAsync(childInit.Subject))!).Status.Should().Be("done");
        ((MachineMemoryStateRecord)(await memory.ReadRecordAsync(childInit.Subject))!).ParentSubject.Should().Be(init.Subject);
        ((MachineMemoryStateRecord)(await memory.ReadRecordAsync(init.Subject))!).Status.Should().Be("done");
    }

    [Fact]
    public async Task Child_WithoutParentSubject_CompletesUnderItsOwnSubjectAndTheParentIgnoresIt()
    {
        var (trip, _, broker, memory) = Build((trip, booking) => ParentSending(trip, booking, parentSubject: null));
        var init = new ArvoOrchestratorEventFactory(trip.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "com.demo.client" },
            new { city = "Porto" });

        var done = await broker.ResolveAsync(init);

        done.Should().BeNull("the parent never hears from the orphaned child");
        var childDone = broker.RecordedEvents.Single(e => e.Type == "arvo.orc.demo.booking.done");
        var childInit = broker.RecordedEvents.Single(e => e.Type == "arvo.orc.demo.booking");
        childDone.Subject.Should().Be(childInit.Subject);
        ((MachineMemoryStateRecord)(await memory.ReadRecordAsync(init.Subject))!).Status.Should().Be("active");
    }

    [Fact]
    public async Task Child_WithInvalidParentSubject_IsAnExecutionViolation()
    {
        var built = Build();
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(1)
            .Machines(ParentSending(built.Trip, built.Booking, parentSubject: "not-a-subject")).Build();
        var init = new ArvoOrchestratorEventFactory(built.Trip.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "com.demo.client" },
            new { city = "Porto" });

        var act = async () => await orchestrator.ExecuteAsync(init);

        (await act.Should().ThrowAsync<ExecutionViolation>()).Which.Message.Should().StartWith(
            "ViolationError<Execution> [Emittable Event Creation] Invalid parentSubject$$ for the event(type='arvo.orc.demo.booking', uri='#/demo/booking/1.0.0').");
        (await memory.ReadRecordAsync(init.Subject)).Should().BeNull("a violation persists nothing");
    }

    [Fact]
    public async Task Child_Fails_ParentReceivesItsSystemError()
    {
        var (trip, _, broker, memory) = Build(child: booking => ArvoMachine.Setup<BookingContext>(booking.Version("1.0.0"))
            .CreateMachine("booking", m => m
                .Context(input => new BookingContext(input.Data.GetProperty("city").GetString()!, Hotel: null))
                .Initial("searching")
                .State("searching", s => s.Entry(a => a.Run((_, _) => throw new InvalidOperationException("no hotels today"))))));
        var init = new ArvoOrchestratorEventFactory(trip.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "com.demo.client" },
            new { city = "Faro" });

        var done = await broker.ResolveAsync(init);

        var error = broker.RecordedEvents.Single(e => e.Type == "sys.arvo.orc.demo.booking.error");
        (error.To, error.Subject, error.Data.GetProperty("errorMessage").GetString()).Should().Be(("arvo.orc.demo.trip", init.Subject, "no hotels today"));
        (done!.Type, done.Data.GetRawText()).Should().Be(("arvo.orc.demo.trip.done", """{"hotel":"none"}"""));
        var childSubject = broker.RecordedEvents.Single(e => e.Type == "arvo.orc.demo.booking").Subject;
        (await memory.ReadRecordAsync(childSubject)).Should().BeOfType<MachineMemoryFailureRecord>();
    }

    private static ArvoMachine<TripContext> ParentSending(ArvoOrchestratorContract trip, ArvoOrchestratorContract booking, string? parentSubject) =>
        ArvoMachine.Setup<TripContext>(trip.Version("1.0.0"))
            .Service("booking", booking.Version("1.0.0"))
            .CreateMachine("trip", m => m
                .Context(input => new TripContext(input.Subject, input.Data.GetProperty("city").GetString()!, Hotel: null))
                .Initial("booking")
                .State("booking", s => s
                    .Entry(a => a.Emit("arvo.orc.demo.booking", ctx => new JsonObject { ["parentSubject$$"] = parentSubject, ["city"] = ctx.City }))
                    .On("arvo.orc.demo.booking.done", "done"))
                .Final("done")
                .Output(ctx => new { hotel = ctx.Hotel ?? "none" }));

    [Fact]
    public void Page_ShowsEveryRegion() => DocPages.AssertShowsEveryRegion("child-orchestrations");
}
