using Arvo.Handlers;
using Arvo.Testing;
using Arvo.Tests.TestSupport;
using static Arvo.Tests.TestSupport.BrokerEvents;

namespace Arvo.Tests.Testing;

public sealed class ArvoTestSuiteTests
{
    /// <summary>com.test.echo answers evt.test.echo with the input's data; throws when data.fail is true.</summary>
    private static readonly DelegateEventHandler Echo = DelegateEventHandler.Sync("com.test.echo", e =>
        e.Data.TryGetProperty("fail", out var fail) && fail.GetBoolean()
            ? throw new InvalidOperationException("echo failed")
            : [Make("evt.test.echo", source: "com.test.echo", data: e.Data)]);

    private static ArvoEvent EchoInput(bool fail = false, int value = 1) => Make("com.test.echo", data: new { fail, value });

    private static ValueTask<ArvoTestResult> RunSingle(params ArvoTestStep[] steps) =>
        new ArvoTestSuite(Echo, [new ArvoTestCase { Name = "case", Steps = steps }]).RunAsync("case");

    // T-1
    [Fact]
    public async Task RunAsync_ExpectedEventsTrue_Passes()
    {
        var result = await RunSingle(ArvoTestStep.Send(EchoInput(), events => events.Single().Type == "evt.test.echo"));

        result.Should().Be(new ArvoTestResult(true));
    }

    // T-1
    [Fact]
    public async Task RunAsync_ExpectedEventsFalse_FailsWithValidatorReturnedFalse()
    {
        var result = await RunSingle(ArvoTestStep.Send(EchoInput(), _ => false));

        result.Success.Should().BeFalse();
        result.Step.Should().Be(1);
        result.Error.Should().StartWith("Step 1: Custom validator returned false\nActual events: [{\"id\":");
    }

    // T-1
    [Fact]
    public async Task RunAsync_SecondStep_ReceivesFirstStepEventsAndFirstReceivesNull()
    {
        var inputs = new List<IReadOnlyList<ArvoEvent>?>();
        IReadOnlyList<ArvoEvent>? firstEmitted = null;
        var result = await RunSingle(
            new ArvoTestStep
            {
                Input = prev => { inputs.Add(prev); return ValueTask.FromResult(EchoInput(value: 7)); },
                ExpectedEvents = events => { firstEmitted = events; return true; },
            },
            new ArvoTestStep
            {
                Input = prev => { inputs.Add(prev); return ValueTask.FromResult(EchoInput(value: prev![0].Data.GetProperty("value").GetInt32() + 1)); },
                ExpectedEvents = events => events.Single().Data.GetProperty("value").GetInt32() == 8,
            });

        result.Success.Should().BeTrue();
        inputs.Should().HaveCount(2);
        inputs[0].Should().BeNull();
        inputs[1].Should().BeSameAs(firstEmitted);
    }

    [Fact]
    public async Task RunAsync_ValidatorThrows_FailsWithValidatorThrewError()
    {
        var result = await RunSingle(ArvoTestStep.Send(EchoInput(), _ => throw new InvalidOperationException("assertion x")));

        result.Error.Should().StartWith("Step 1: Custom validator threw error: assertion x\nActual events: [");
    }

    [Fact]
    public async Task RunAsync_HandlerThrowsWithoutExpectedError_FailsWithUnexpectedException()
    {
        var result = await RunSingle(ArvoTestStep.Send(EchoInput(), _ => true), ArvoTestStep.Send(EchoInput(fail: true)));

        result.Should().Be(new ArvoTestResult(false, "Step 2: Unexpected exception: echo failed", null, 2));
    }

    // T-2
    [Fact]
    public async Task RunAsync_ExpectedErrorMatches_PassesAndNextStepReceivesEmptyList()
    {
        IReadOnlyList<ArvoEvent>? second = null;
        var result = await RunSingle(
            new ArvoTestStep { Input = _ => ValueTask.FromResult(EchoInput(fail: true)), ExpectedError = e => e.Message == "echo failed" },
            new ArvoTestStep { Input = prev => { second = prev; return ValueTask.FromResult(EchoInput()); } });

        result.Success.Should().BeTrue();
        second.Should().NotBeNull().And.BeEmpty();
    }

    // T-2
    [Fact]
    public async Task RunAsync_ExpectedErrorButSucceeded_Fails()
    {
        var result = await RunSingle(
            ArvoTestStep.Send(EchoInput()),
            new ArvoTestStep { Input = _ => ValueTask.FromResult(EchoInput()), ExpectedError = _ => true });

        result.Error.Should().Be("Step 2: Expected error but function succeeded");
    }

    // T-2
    [Fact]
    public async Task RunAsync_ExpectedErrorPredicateFalse_FailsWithErrorDidNotMatch()
    {
        var result = await RunSingle(new ArvoTestStep { Input = _ => ValueTask.FromResult(EchoInput(fail: true)), ExpectedError = _ => false });

        result.Error.Should().Be("Step 1: Error didn't match custom validator: echo failed");
    }

    // T-2 (with the FLAG fixed: samples carry their iteration numbers)
    [Fact]
    public async Task RunAsync_RepeatBelowThreshold_FailsWithRateAndIterationSamples()
    {
        var failing = new HashSet<int> { 2, 5, 9 };
        var counter = 0;
        var suite = new ArvoTestSuite(
            (e, _) => ValueTask.FromResult(ArvoExecutionResult.From([e])),
            [
                new ArvoTestCase
                {
                    Name = "flaky",
                    Repeat = new ArvoTestRepeat(10, 80),
                    Steps = [new ArvoTestStep { Input = _ => ValueTask.FromResult(EchoInput(value: Interlocked.Increment(ref counter))), ExpectedEvents = ev => !failing.Contains(ev[0].Data.GetProperty("value").GetInt32()) }],
                },
            ]);

        var result = await suite.RunAsync("flaky");

        result.Success.Should().BeFalse();
        var lines = result.Error!.Split('\n');
        lines[0].Should().Be("Success rate 70.00% is below threshold 80%");
        lines.Where(l => l.StartsWith("Iteration ", StringComparison.Ordinal)).Should().HaveCount(3)
            .And.OnlyContain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^Iteration ([1-9]|10): Step 1: Custom validator returned false$"));
        suite.Name.Should().Be("Testunknown");
    }

    [Fact]
    public async Task RunAsync_RepeatAtThreshold_Passes()
    {
        var counter = 0;
        var suite = new ArvoTestSuite(Echo, [new ArvoTestCase
        {
            Name = "ok",
            Repeat = new ArvoTestRepeat(10, 80),
            Steps = [new ArvoTestStep { Input = _ => ValueTask.FromResult(EchoInput(fail: Interlocked.Increment(ref counter) <= 2)) }],
        }]);

        var result = await suite.RunAsync("ok");

        result.Should().BeSameAs(ArvoTestResult.Passed);
    }

    [Fact]
    public async Task AssertCaseAsync_FailedCase_ThrowsWithRunnerMessage()
    {
        var suite = new ArvoTestSuite(Echo, [new ArvoTestCase { Name = "bad", Steps = [ArvoTestStep.Send(EchoInput(), _ => false)] }]);

        var act = () => suite.AssertCaseAsync("bad");

        var thrown = (await act.Should().ThrowAsync<ArvoTestFailedException>()).Which;
        thrown.Message.Should().StartWith("Testcom.test.echo / bad: Step 1: Custom validator returned false");
        thrown.Result.Step.Should().Be(1);
    }

    [Fact]
    public void Constructor_StepWithBothExpectations_Throws()
    {
        var act = () => new ArvoTestSuite(Echo, [new ArvoTestCase
        {
            Name = "both",
            Steps = [new ArvoTestStep { Input = _ => ValueTask.FromResult(EchoInput()), ExpectedEvents = _ => true, ExpectedError = _ => true }],
        }]);

        act.Should().Throw<ArgumentException>().WithMessage("Test case 'both' step 1 sets both ExpectedEvents and ExpectedError; set at most one*");
    }

    [Fact]
    public void CaseNames_Suite_YieldsOneRowPerCase()
    {
        EchoSuiteTests.Cases.Should().BeEquivalentTo(new[] { new object[] { "echoes data" }, new object[] { "rejects failing input" } }, o => o.WithStrictOrdering());
    }
}

/// <summary>The xunit plug-in: one [Theory] runs every case of a suite.</summary>
public sealed class EchoSuiteTests
{
    private static readonly ArvoTestSuite Suite = new(
        DelegateEventHandler.Sync("com.test.echo", e =>
            e.Data.GetProperty("fail").GetBoolean()
                ? throw new InvalidOperationException("echo failed")
                : [Make("evt.test.echo", source: "com.test.echo", data: e.Data)]),
        [
            new ArvoTestCase
            {
                Name = "echoes data",
                Steps = [ArvoTestStep.Send(Make("com.test.echo", data: new { fail = false }), events => events.Single().Type == "evt.test.echo")],
            },
            new ArvoTestCase
            {
                Name = "rejects failing input",
                Steps = [new ArvoTestStep { Input = _ => ValueTask.FromResult(Make("com.test.echo", data: new { fail = true })), ExpectedError = e => e.Message == "echo failed" }],
            },
        ]);

    public static IEnumerable<object[]> Cases => Suite.CaseNames;

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Suite_Case_Passes(string caseName) => Suite.AssertCaseAsync(caseName);
}
