namespace FoodOrdering.Tests.Support;

/// <summary>The steps of an SMTP conversation at which <see cref="ScriptedSmtpStandIn"/> can be told to refuse.</summary>
public enum SmtpStep
{
    Greeting,
    Ehlo,
    Auth,
    MailFrom,
    RcptTo,
    EndOfData,
}
