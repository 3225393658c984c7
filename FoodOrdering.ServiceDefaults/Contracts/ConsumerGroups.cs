namespace FoodOrdering.Contracts;

public static class ConsumerGroups
{
    public const string Transactions = "transactions";
    public const string Emails = "emails";
}
