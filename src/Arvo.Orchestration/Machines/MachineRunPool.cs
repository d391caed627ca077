namespace Arvo.Machines;

/// <summary>
/// The reusable executions of one machine version: each <see cref="MachineRun{TContext}"/> holds Stateless machines
/// configured once for every state, used by one execution at a time. Thread-safe and bounded, after
/// Microsoft.Extensions.ObjectPool's <c>DefaultObjectPool</c>: one fast slot and a small array claimed with
/// <see cref="Interlocked.CompareExchange{T}(ref T, T, T)"/>; when every kept run is in use a new one is created, and a
/// run returned to a full pool is dropped.
/// </summary>
internal sealed class MachineRunPool<TContext>
    where TContext : notnull
{
    private readonly MachineModel<TContext> _model;
    private readonly MachineRun<TContext>?[] _items;
    private MachineRun<TContext>? _fast;
    private int _created;

    /// <param name="model">The compiled machine.</param>
    /// <param name="capacity">The runs kept besides the fast slot; by default twice the processor count, as <c>DefaultObjectPool</c>.</param>
    public MachineRunPool(MachineModel<TContext> model, int? capacity = null)
    {
        _model = model;
        _items = new MachineRun<TContext>?[Math.Max(0, (capacity ?? Environment.ProcessorCount * 2) - 1)];
    }

    /// <summary>Test hook: how many runs (each configuring its Stateless machines once) this pool has created.</summary>
    internal int Created => Volatile.Read(ref _created);

    /// <summary>Takes a kept run, or creates (and configures) one when all are in use.</summary>
    public MachineRun<TContext> Rent()
    {
        var item = _fast;
        if (item is not null && Interlocked.CompareExchange(ref _fast, null, item) == item)
        {
            return item;
        }

        var items = _items;
        for (var i = 0; i < items.Length; i++)
        {
            item = items[i];
            if (item is not null && Interlocked.CompareExchange(ref items[i], null, item) == item)
            {
                return item;
            }
        }

        Interlocked.Increment(ref _created);
        return new MachineRun<TContext>(_model);
    }

    /// <summary>Keeps a run that has been reset (every <see cref="MachineRun{TContext}.Execute"/> resets it, also when it throws).</summary>
    public void Return(MachineRun<TContext> item)
    {
        if (_fast is null && Interlocked.CompareExchange(ref _fast, item, null) is null)
        {
            return;
        }

        var items = _items;
        for (var i = 0; i < items.Length; i++)
        {
            if (Interlocked.CompareExchange(ref items[i], item, null) is null)
            {
                return;
            }
        }
    }
}
