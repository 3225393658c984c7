namespace FoodOrdering.Operations.Log;

/// <summary>Headers the console adds to a record it re-drives to its source topic.</summary>
internal static class RedriveHeaders
{
    /// <summary>How many times this order's record has been re-driven, this time included.</summary>
    public const string Count = "redrive.count";

    /// <summary>The dead letter it was re-driven from (<see cref="RecordCoordinates"/>): the mark that it is handled.</summary>
    public const string Of = "redrive.of";
}
