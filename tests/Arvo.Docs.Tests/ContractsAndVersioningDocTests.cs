using Arvo.Events;
using Arvo.Factories;
using Arvo.Handlers;
using Arvo.Memory;

namespace Arvo.Docs;

// docs:types:begin
public sealed record GreetRequest(string Name);

public sealed record Greeting(string Text);

public sealed record SignupContext(string Email);
// docs:types:end

/// <summary>The code of docs/contracts-and-versioning.md, run.</summary>
public sealed class ContractsAndVersioningDocTests
{
    [Fact]
    public void ServiceContract_DeclaresVersionsSchemasAndTheSystemError()
    {
        // docs:contract:begin
        // A service contract: the event type it accepts and the events it emits, per semantic version.
        var greeter = ArvoContract.Create("#/demo/greeter", "com.demo.greet", contract => contract
            .Description("Greets a person")
            .Version("1.0.0", version => version
                .Accepts("""{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}""")
                .Emits("evt.demo.greet.success", ArvoSchema.FromType<Greeting>()))
            .Version("1.1.0", version => version
                .Accepts(ArvoSchema.FromType<GreetRequest>())
                .Emits("evt.demo.greet.success", ArvoSchema.FromType<Greeting>())
                .Emits("evt.demo.greet.skipped", """{"type":"object","properties":{"reason":{"type":"string"}},"required":["reason"]}""")));

        var v1 = greeter.Version("1.0.0");      // also "latest" (1.1.0) and "oldest" (1.0.0)
        // v1.Dataschema == "#/demo/greeter/1.0.0": the dataschema attribute of events of this version
        // greeter.SystemError.Type == "sys.com.demo.greet.error", with the fixed schema {errorName, errorMessage, errorStack}
        // docs:contract:end

        v1.Dataschema.Should().Be("#/demo/greeter/1.0.0");
        greeter.Version("latest").Version.Should().Be("1.1.0");
        greeter.Version("oldest").Version.Should().Be("1.0.0");
        greeter.Version("1.1.0").Emits.Keys.Should().Equal("evt.demo.greet.success", "evt.demo.greet.skipped");
        greeter.SystemError.Type.Should().Be("sys.com.demo.greet.error");
        v1.SystemError.Type.Should().Be("sys.com.demo.greet.error");
        greeter.Description.Should().Be("Greets a person");
    }

    [Fact]
    public void Factory_ValidatesAndRejectsData()
    {
        var greeter = ArvoContract.Create("#/demo/greeter", "com.demo.greet", contract => contract
            .Version("1.0.0", version => version
                .Accepts("""{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}""")
                .Emits("evt.demo.greet.success", ArvoSchema.FromType<Greeting>())));

        // docs:factory:begin
        // A factory creates validated events of one contract version.
        var factory = new ArvoEventFactory(greeter.Version("1.0.0"));
        var request = factory.Accepts(new ArvoEventEnvelope { Source = "com.demo.client" }, new { name = "Ada" });
        // request.Type == "com.demo.greet", request.To == "com.demo.greet", request.DataSchema == "#/demo/greeter/1.0.0"

        var answer = factory.Emits(
            new ArvoEventEnvelope { Source = "com.demo.greet", Subject = request.Subject, To = request.Source, ParentId = request.Id },
            "evt.demo.greet.success",
            new { text = "Hello, Ada!", mood = "cheerful" });
        // answer.Data == {"text":"Hello, Ada!"}: emitted data is validated and keys the schema does not declare are removed

        Action invalid = () => factory.Accepts(new ArvoEventEnvelope { Source = "com.demo.client" }, new { name = 42 });
        // invalid throws ContractViolation "ViolationError<Contract> Accept Event data validation failed: $.name: expected string, found number"
        // docs:factory:end

        request.Type.Should().Be("com.demo.greet");
        request.To.Should().Be("com.demo.greet");
        request.DataSchema.Should().Be("#/demo/greeter/1.0.0");
        answer.Data.GetRawText().Should().Be("""{"text":"Hello, Ada!"}""");
        answer.DataSchema.Should().Be("#/demo/greeter/1.0.0");
        invalid.Should().Throw<ContractViolation>()
            .Which.Message.Should().Be("ViolationError<Contract> Accept Event data validation failed: $.name: expected string, found number");
    }

    [Fact]
    public void OrchestratorContract_NamesItsEventTypesAndRequiresTheParentSubject()
    {
        // docs:orchestrator-contract:begin
        // A workflow's contract: the init event starts it, the completion event ends it.
        var signup = ArvoContract.CreateOrchestrator("#/demo/signup", "demo.signup", contract => contract
            .Version("1.0.0", version => version
                .Init("""{"type":"object","properties":{"email":{"type":"string"}},"required":["email"]}""")
                .Complete("""{"type":"object","properties":{"template":{"type":"string"}},"required":["template"]}""")));
        // signup.InitEventType == "arvo.orc.demo.signup", signup.CompleteEventType == "arvo.orc.demo.signup.done",
        // signup.SystemError.Type == "sys.arvo.orc.demo.signup.error"

        var init = new ArvoOrchestratorEventFactory(signup.Version("1.0.0"))
            .Init(new ArvoEventEnvelope { Source = "com.demo.client" }, new { email = "ada@example.com" });
        // init.Data == {"parentSubject$$":null,"email":"ada@example.com"}: every init schema also requires
        // "parentSubject$$" (a parent workflow's subject, or null), and the factory fills it in
        // docs:orchestrator-contract:end

        signup.InitEventType.Should().Be("arvo.orc.demo.signup");
        signup.CompleteEventType.Should().Be("arvo.orc.demo.signup.done");
        signup.SystemError.Type.Should().Be("sys.arvo.orc.demo.signup.error");
        init.Type.Should().Be("arvo.orc.demo.signup");
        init.Data.GetRawText().Should().Be("""{"parentSubject$$":null,"email":"ada@example.com"}""");
        var withoutParent = ArvoEvent.Create(new ArvoEventInit
        {
            Source = "com.demo.client",
            Type = "arvo.orc.demo.signup",
            Subject = init.Subject,
            DataSchema = "#/demo/signup/1.0.0",
            Data = new { email = "ada@example.com" },
        });
        signup.Version("1.0.0").Accepts.Schema.Validate(withoutParent.Data).IsValid.Should().BeFalse("the init schema requires parentSubject$$");
    }

    [Fact]
    public async Task Rollout_NewInitsRunTheLatestVersionWhileStartedWorkflowsFinishOnTheirs()
    {
        // docs:rollout-machines:begin
        // The workflow gets a version 2.0.0 that sends another template; 1.0.0 stays declared.
        const string EmailSchema = """{"type":"object","properties":{"email":{"type":"string"}},"required":["email"]}""";
        var signup = ArvoContract.CreateOrchestrator("#/demo/signup", "demo.signup", contract => contract
            .Version("1.0.0", version => version.Init(EmailSchema).Complete("""{"type":"object","properties":{"template":{"type":"string"}},"required":["template"]}"""))
            .Version("2.0.0", version => version.Init(EmailSchema).Complete("""{"type":"object","properties":{"template":{"type":"string"}},"required":["template"]}""")));
        var mailer = ArvoContract.Create("#/demo/mailer", "com.demo.mail", contract => contract
            .Version("1.0.0", version => version
                .Accepts("""{"type":"object","properties":{"to":{"type":"string"},"template":{"type":"string"}},"required":["to","template"]}""")
                .Emits("evt.demo.mail.success", """{"type":"object","properties":{"sent":{"type":"boolean"}},"required":["sent"]}""")));

        // One machine per contract version; the machine's version is the contract version it is set up with.
        ArvoMachine<SignupContext> SignupMachine(string version, string template) =>
            ArvoMachine.Setup<SignupContext>(signup.Version(version))
                .Service("mailer", mailer.Version("1.0.0"))
                .CreateMachine("signup", m => m
                    .Context(input => new SignupContext(input.Data.GetProperty("email").GetString()!))
                    .Initial("mailing")
                    .State("mailing", s => s
                        .Entry(a => a.Emit("com.demo.mail", ctx => new { to = ctx.Email, template }))
                        .On("evt.demo.mail.success", "done"))
                    .Final("done")
                    .Output(_ => new { template }));
        var v1 = SignupMachine("1.0.0", "welcome");
        var v2 = SignupMachine("2.0.0", "welcome-v2");

        var mailService = ArvoEventHandler.CreateBuilder(mailer)
            .ExecutionUnits(1)
            .Version("1.0.0", _ => ArvoHandlerOutput.Emit("evt.demo.mail.success", new { sent = true }))
            .Build();
        // docs:rollout-machines:end

        // docs:rollout-run:begin
        // Every deployment shares the workflow memory (a durable store in production).
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();

        // Deployment 1 knows only v1. A workflow starts and waits for the mailer's answer.
        var deployment1 = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(1).Machines(v1).Build();
        var oldInit = new ArvoOrchestratorEventFactory(signup.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "com.demo.client" },
            new { email = "ada@example.com" });
        var oldCommand = (await deployment1.ExecuteAsync(oldInit)).All.Single();

        // Deployment 2 registers both versions. Clients build inits from "latest", so new workflows run v2.
        var deployment2 = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(1).Machines(v1, v2).Build();
        var newInit = new ArvoOrchestratorEventFactory(signup.Version("latest")).Init(
            new ArvoEventEnvelope { Source = "com.demo.client" },
            new { email = "grace@example.com" });
        var newCommand = (await deployment2.ExecuteAsync(newInit)).All.Single();

        // The workflow started on v1 finishes on v1: its subject names the version it started with.
        var oldAnswer = (await mailService.ExecuteAsync(oldCommand)).All.Single();
        var oldDone = (await deployment2.ExecuteAsync(oldAnswer)).All.Single();
        var newAnswer = (await mailService.ExecuteAsync(newCommand)).All.Single();
        var newDone = (await deployment2.ExecuteAsync(newAnswer)).All.Single();

        // oldCommand.Data == {"to":"ada@example.com","template":"welcome"}, oldDone.Data == {"template":"welcome"}
        // newCommand.Data == {"to":"grace@example.com","template":"welcome-v2"}, newDone.Data == {"template":"welcome-v2"}
        // docs:rollout-run:end

        ArvoOrchestrationSubject.Parse(oldInit.Subject).Orchestrator.Version.Should().Be("1.0.0");
        ArvoOrchestrationSubject.Parse(newInit.Subject).Orchestrator.Version.Should().Be("2.0.0");
        newInit.DataSchema.Should().Be("#/demo/signup/2.0.0");
        oldCommand.Data.GetRawText().Should().Be("""{"to":"ada@example.com","template":"welcome"}""");
        newCommand.Data.GetRawText().Should().Be("""{"to":"grace@example.com","template":"welcome-v2"}""");
        (oldDone.Type, oldDone.Subject, oldDone.To, oldDone.Data.GetRawText()).Should().Be(("arvo.orc.demo.signup.done", oldInit.Subject, "com.demo.client", """{"template":"welcome"}"""));
        (newDone.Type, newDone.Subject, newDone.To, newDone.Data.GetRawText()).Should().Be(("arvo.orc.demo.signup.done", newInit.Subject, "com.demo.client", """{"template":"welcome-v2"}"""));
        oldDone.DataSchema.Should().Be("#/demo/signup/1.0.0");
        newDone.DataSchema.Should().Be("#/demo/signup/2.0.0");

        // docs:rollout-pitfall:begin
        // Retire v1 only when no v1 workflow is active: without its machine, v1 events are a ConfigViolation.
        var deployment3 = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(1).Machines(v2).Build();
        var stranded = new ArvoOrchestratorEventFactory(signup.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "com.demo.client" },
            new { email = "alan@example.com" });
        Func<Task> retired = async () => await deployment3.ExecuteAsync(stranded);
        // retired throws ConfigViolation "ViolationError<Config> Machine resolution failed: No machine found matching
        // orchestrator name='arvo.orc.demo.signup' and version='1.0.0'."
        // docs:rollout-pitfall:end

        (await retired.Should().ThrowAsync<ConfigViolation>()).Which.Message.Should().Be(
            "ViolationError<Config> Machine resolution failed: No machine found matching orchestrator name='arvo.orc.demo.signup' and version='1.0.0'.");
        (await memory.ReadRecordAsync(stranded.Subject)).Should().BeNull("a violation persists nothing");
    }

    [Fact]
    public void Page_ShowsEveryRegion() => DocPages.AssertShowsEveryRegion("contracts-and-versioning");
}
