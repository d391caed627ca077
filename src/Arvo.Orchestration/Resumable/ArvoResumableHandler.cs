namespace Arvo.Resumable;

/// <summary>
/// The logic of one version of an <see cref="ArvoResumable"/> (reference <c>ArvoResumableHandler</c>, resumable.md 3):
/// called once per accepted event while the workflow is active. It must be deterministic and idempotent (events can be
/// redelivered) and must not keep state outside the returned context.
/// </summary>
/// <typeparam name="TContext">The handler-owned context, stored as JSON between calls.</typeparam>
/// <param name="context">The consumed event, the stored context and the collected responses.</param>
/// <returns>The new context, the service events and the output; null (or an empty result) keeps everything and emits nothing.</returns>
public delegate ValueTask<ArvoResumableResult<TContext>?> ArvoResumableHandler<TContext>(ArvoResumableContext<TContext> context)
    where TContext : class;
