using System.Collections.Concurrent;
using Arvo.Events;
using Arvo.Transport;

namespace Arvo.Hosting.Tests.Transport;

public sealed class ChannelArvoTransportTests
{
    private static ArvoEvent Event(string subject, int sequence, string to = "com.test.consumer") => ArvoEvent.Create(new ArvoEventInit
    {
        Source = "com.test.sender",
        Type = "com.test.command",
        Subject = subject,
        To = to,
        Data = new Dictionary<string, object?> { ["sequence"] = sequence },
    });

    [Fact]
    public async Task SubscribeAsync_ManyWorkflowsWithConcurrency_KeepsEachWorkflowInOrderAndNeverConcurrent()
    {
        await using var transport = new ChannelArvoTransport();
        var seen = new ConcurrentDictionary<string, ConcurrentQueue<int>>();
        var running = new ConcurrentDictionary<string, int>();
        var overlaps = 0;
        var maxParallel = 0;
        var parallel = 0;
        var done = new TaskCompletionSource();
        const int Workflows = 16, PerWorkflow = 25;
        var total = 0;
        await using var subscription = await transport.SubscribeAsync(new ArvoSubscription(["com.test.consumer"], async (message, token) =>
        {
            var subject = message.Event.Subject;
            if (running.AddOrUpdate(subject, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            var now = Interlocked.Increment(ref parallel);
            InterlockedMax(ref maxParallel, now);
            await Task.Delay(1, token);
            seen.GetOrAdd(subject, _ => new()).Enqueue(message.Event.Data.GetProperty("sequence").GetInt32());
            Interlocked.Decrement(ref parallel);
            running.AddOrUpdate(subject, 0, (_, n) => n - 1);
            await message.AckAsync(token);
            if (Interlocked.Increment(ref total) == Workflows * PerWorkflow)
            {
                done.SetResult();
            }
        }) { MaxConcurrency = 4 });

        for (var i = 0; i < PerWorkflow; i++)
        {
            for (var w = 0; w < Workflows; w++)
            {
                await transport.PublishAsync(Event($"workflow-{w}", i));
            }
        }

        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        overlaps.Should().Be(0);
        maxParallel.Should().BeInRange(2, 4);
        seen.Should().HaveCount(Workflows);
        seen.Values.Should().AllSatisfy(order => order.Should().Equal(Enumerable.Range(0, PerWorkflow)));
    }

    [Fact]
    public async Task NackAsync_WithRequeue_RedeliversBeforeTheWorkflowsNextEventWithTheDeliveryCount()
    {
        await using var transport = new ChannelArvoTransport(new ChannelArvoTransportOptions { RedeliveryDelay = TimeSpan.Zero });
        var deliveries = new ConcurrentQueue<(int Sequence, int Count)>();
        var done = new TaskCompletionSource();
        await using var subscription = await transport.SubscribeAsync(new ArvoSubscription(["com.test.consumer"], async (message, token) =>
        {
            var sequence = message.Event.Data.GetProperty("sequence").GetInt32();
            deliveries.Enqueue((sequence, message.DeliveryCount));
            if (sequence == 0 && message.DeliveryCount < 3)
            {
                await message.NackAsync(requeue: true, token);
                return;
            }

            await message.AckAsync(token);
            if (sequence == 1)
            {
                done.SetResult();
            }
        }) { MaxConcurrency = 1 });

        await transport.PublishAsync(Event("one", 0));
        await transport.PublishAsync(Event("one", 1));
        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));

        deliveries.Should().Equal((0, 1), (0, 2), (0, 3), (1, 1));
    }

    [Fact]
    public async Task OnMessage_ThatThrowsWithoutSettling_IsDeliveredAgain()
    {
        await using var transport = new ChannelArvoTransport(new ChannelArvoTransportOptions { RedeliveryDelay = TimeSpan.Zero });
        var counts = new ConcurrentQueue<int>();
        var done = new TaskCompletionSource();
        await using var subscription = await transport.SubscribeAsync(new ArvoSubscription(["com.test.consumer"], async (message, token) =>
        {
            counts.Enqueue(message.DeliveryCount);
            if (message.DeliveryCount == 1)
            {
                throw new InvalidOperationException("consumer bug");
            }

            await message.AckAsync(token);
            done.SetResult();
        }));

        await transport.PublishAsync(Event("one", 0));
        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));

        counts.Should().Equal(1, 2);
    }

    [Fact]
    public async Task PublishAsync_NoSubscriberForTo_CallsOnUnrouted()
    {
        var unrouted = new List<ArvoEvent>();
        await using var transport = new ChannelArvoTransport(new ChannelArvoTransportOptions
        {
            OnUnrouted = (evt, _) =>
            {
                unrouted.Add(evt);
                return ValueTask.CompletedTask;
            },
        });
        var evt = Event("one", 0, to: "com.nobody");

        await transport.PublishAsync(evt);

        unrouted.Should().Equal(evt);
    }

    [Fact]
    public async Task AckAsync_And_NackWithoutRequeue_CallOnSettledOnce()
    {
        var settled = new ConcurrentQueue<string>();
        var done = new TaskCompletionSource();
        await using var transport = new ChannelArvoTransport(new ChannelArvoTransportOptions
        {
            OnSettled = (evt, _) =>
            {
                settled.Enqueue(evt.Id);
                if (settled.Count == 2)
                {
                    done.SetResult();
                }

                return ValueTask.CompletedTask;
            },
        });
        await using var subscription = await transport.SubscribeAsync(new ArvoSubscription(["com.test.consumer"], async (message, token) =>
        {
            if (message.Event.Data.GetProperty("sequence").GetInt32() == 0)
            {
                await message.AckAsync(token);
            }
            else
            {
                await message.NackAsync(requeue: false, token);
            }

            var again = () => message.AckAsync(token).AsTask();
            await again.Should().ThrowAsync<InvalidOperationException>();
        }) { MaxConcurrency = 1 });
        var first = Event("one", 0);
        var second = Event("one", 1);

        await transport.PublishAsync(first);
        await transport.PublishAsync(second);
        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));

        settled.Should().Equal(first.Id, second.Id);
    }

    [Fact]
    public async Task SubscribeAsync_DestinationAlreadyConsumed_ThrowsNamingIt()
    {
        await using var transport = new ChannelArvoTransport();
        await using var subscription = await transport.SubscribeAsync(new ArvoSubscription(["com.a"], (m, t) => m.AckAsync(t)));

        var second = () => transport.SubscribeAsync(new ArvoSubscription(["com.b", "com.a"], (m, t) => m.AckAsync(t))).AsTask();

        (await second.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Be(
            "Destination 'com.a' already has a subscriber on this in-process transport; one subscription per destination.");
        await using var released = await transport.SubscribeAsync(new ArvoSubscription(["com.b"], (m, t) => m.AckAsync(t)));
    }

    [Fact]
    public void ArvoSubscription_WithoutDestinations_IsRejected()
    {
        var create = () => new ArvoSubscription([], (m, t) => m.AckAsync(t));

        create.Should().Throw<ArgumentException>().WithParameterName("destinations");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
