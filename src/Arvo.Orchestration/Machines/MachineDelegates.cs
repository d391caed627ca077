using System.Reflection;
using System.Runtime.CompilerServices;

namespace Arvo.Machines;

/// <summary>Build-time checks on the delegates a machine is made of.</summary>
internal static class MachineDelegates
{
    /// <summary>
    /// Rejects asynchronous delegates: <c>async</c> lambdas (including <c>async void</c> ones) and delegates returning a
    /// <see cref="Task"/>, <see cref="ValueTask"/>, <see cref="ValueTask{TResult}"/> or <see cref="IAsyncEnumerable{T}"/>.
    /// </summary>
    public static void EnsureSynchronous(Delegate? value, string location)
    {
        if (value is null)
        {
            return;
        }

        var method = value.Method;
        if (method.GetCustomAttribute<AsyncStateMachineAttribute>() is not null || IsAsyncType(method.ReturnType))
        {
            throw new ConfigViolation(
                $"Configuration Error: asynchronous delegates are not supported in Arvo machines. Guards, actions, context and output functions must be synchronous and pure (received a delegate returning '{method.ReturnType.Name}'{(method.GetCustomAttribute<AsyncStateMachineAttribute>() is null ? string.Empty : " declared async")}). Location: {location}");
        }
    }

    /// <summary>True for task-like values a synchronous machine must never produce.</summary>
    public static bool IsAsyncValue(object? value) =>
        value is Task or ValueTask || (value is not null && IsAsyncType(value.GetType()));

    private static bool IsAsyncType(Type type)
    {
        if (typeof(Task).IsAssignableFrom(type) || type == typeof(ValueTask))
        {
            return true;
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            if (definition == typeof(ValueTask<>) || definition == typeof(IAsyncEnumerable<>))
            {
                return true;
            }
        }

        return type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>));
    }
}
