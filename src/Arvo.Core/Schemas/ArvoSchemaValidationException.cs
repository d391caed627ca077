namespace Arvo.Schemas;

/// <summary>Thrown by <see cref="ArvoSchema.Parse"/> when the data does not match the schema.</summary>
/// <remarks>
/// This is not a violation: callers decide what invalid data means (a factory or a handler wraps
/// <see cref="Result"/> into its own message, e.g. <c>Emit Event data validation failed: …</c>).
/// </remarks>
public sealed class ArvoSchemaValidationException : Exception
{
    /// <summary>Creates the exception from a failed result.</summary>
    /// <param name="result">The failed validation result.</param>
    public ArvoSchemaValidationException(ArvoSchemaValidationResult result)
        : base($"Data does not match the schema: {result}")
    {
        Result = result;
    }

    /// <summary>The failed validation result, listing every issue.</summary>
    public ArvoSchemaValidationResult Result { get; }
}
